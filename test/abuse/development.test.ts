// NODE_ENV=development with the embedded emulator: both checks run offline against the dev plugin's stand-ins, over real HTTP.
import t from 'tap'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { build, Client, newEmail, PASSWORD, SIGN_UP } from '../helper.ts'
import { failsWith } from '../challenge-helpers.ts'
import { token } from './siteverify.ts'

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('development: a common password is refused and the Turnstile test token passes, with nothing configured but the provider', async (t) => {
  const port = await freePort()
  const app = await build(t, { env: { NODE_ENV: 'development', PORT: String(port), CAPTCHA_PROVIDER: 'turnstile' } })
  await app.listen({ port, host: '127.0.0.1' })
  const client = new Client(app)
  t.same((await client.gql('{ captcha { provider siteKey } }')).data, { captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA' } }, 'the test site key')
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('dev'), password: PASSWORD } }), 'CAPTCHA_REQUIRED')
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('dev'), password: 'password1', captchaToken: token() } }), 'PASSWORD_BREACHED')
  const signUp = await client.gql(SIGN_UP, { input: { email: newEmail('dev'), password: PASSWORD, captchaToken: token() } })
  t.equal(signUp.errors, undefined, 'a fresh password and a test token sign up')
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /abuse_checks_total\{check="breached-password",outcome="breached"\} 1/, 'the stand-in range API answered')
  t.match(metrics, /abuse_checks_total\{check="captcha",outcome="passed"\} 2/, 'the stand-in siteverify answered')
})

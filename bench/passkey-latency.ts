// `npx tsx bench/passkey-latency.ts`: what a passkey sign-in adds over a password sign-in, side
// by side in one run, in-process (app.inject) on the embedded emulator. A password sign-in is one
// request (signIn → Session); a passkey sign-in is two (signIn(method: PASSKEY) → WEB_AUTHN, then
// respondToChallenge with the signed assertion → Session), and the assertion is signed by the
// software authenticator of the tests (an ES256 signature, well under a millisecond). Not
// measured here: the network round trip the second request adds, and the time the user takes
// at the authenticator's prompt. BENCH_CALLS sign-ins of each kind (default 100), alternating.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { serverOptions } from '../src/server-options.ts'
import { SoftAuthenticator } from '../test/dev/soft-authenticator.ts'
import { median, quantile } from './stats.ts'

const CALLS = Math.max(1, Number(process.env.BENCH_CALLS ?? 100))
const PASSWORD = 'Bench-Password-1'
const EMAIL = 'bench@example.com'

async function gql (server: FastifyInstance, query: string, variables: Record<string, unknown>, cookie = ''): Promise<{ data: any, cookie: string }> {
  const response = await server.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...(cookie === '' ? {} : { cookie }) }, payload: JSON.stringify({ query, variables }) })
  const body = response.json()
  if (body.errors !== undefined) throw new Error(JSON.stringify(body.errors))
  const set = (response.cookies as Array<{ name: string, value: string }>).map((c) => `${c.name}=${c.value}`)
  return { data: body.data, cookie: [...(cookie === '' ? [] : [cookie]), ...set].join('; ') }
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-passkey-'))
const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMITS: '{"signIn.address":{"max":100000},"signIn.email":{"max":100000}}' }
const server = Fastify(serverOptions(loadConfig(env), false))
await server.register(fp(app), { env })
await server.ready()
try {
  await gql(server, 'mutation ($e: String!, $p: String!) { signUp(input: { email: $e, password: $p }) { userConfirmed } }', { e: EMAIL, p: PASSWORD })
  const [mail] = (await server.inject({ url: `/dev/mailbox?to=${EMAIL}` })).json() as Array<{ code: string }>
  await gql(server, 'mutation ($e: String!, $c: String!) { confirmSignUp(input: { email: $e, code: $c }) }', { e: EMAIL, c: mail?.code })
  const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on Challenge { name publicKeyOptions } } }'
  const { cookie } = await gql(server, SIGN_IN, { input: { email: EMAIL, password: PASSWORD } })
  const authenticator = new SoftAuthenticator()
  const start = await gql(server, 'mutation { startPasskeyRegistration { publicKeyOptions } }', {}, cookie)
  const credential = JSON.stringify(authenticator.register(JSON.parse(start.data.startPasskeyRegistration.publicKeyOptions)))
  await gql(server, 'mutation ($c: String!) { finishPasskeyRegistration(input: { credential: $c }) { id } }', { c: credential }, cookie)

  const password: number[] = []
  const passkey: number[] = []
  for (let i = 0; i < CALLS + 5; i++) {
    let t0 = performance.now()
    const byPassword = await gql(server, SIGN_IN, { input: { email: EMAIL, password: PASSWORD } })
    if (byPassword.data.signIn.__typename !== 'Session') throw new Error('no session')
    const passwordMs = performance.now() - t0

    t0 = performance.now()
    const challenge = await gql(server, SIGN_IN, { input: { email: EMAIL, method: 'PASSKEY' } })
    const assertion = authenticator.sign(JSON.parse(challenge.data.signIn.publicKeyOptions).challenge)
    const done = await gql(server, 'mutation ($c: String!) { respondToChallenge(input: { name: WEB_AUTHN, credential: $c }) { __typename } }', { c: JSON.stringify(assertion) }, challenge.cookie)
    if (done.data.respondToChallenge.__typename !== 'Session') throw new Error('no session')
    const passkeyMs = performance.now() - t0
    // The first few warm the JIT and the caches.
    if (i >= 5) { password.push(passwordMs); passkey.push(passkeyMs) }
  }
  const line = (name: string, ms: number[]) => `${name.padEnd(10)} median ${median(ms).toFixed(2)} ms  p90 ${quantile(ms, 0.9).toFixed(2)} ms`
  console.log(`${CALLS} sign-ins each, in-process on the embedded emulator:`)
  console.log(line('password', password))
  console.log(line('passkey', passkey))
  console.log(`a passkey adds ${(median(passkey) - median(password)).toFixed(2)} ms at the median (${(median(passkey) / median(password)).toFixed(2)}×), two requests instead of one`)
} finally {
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
}

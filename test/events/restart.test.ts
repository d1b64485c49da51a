// A server (`npm start`'s src/server.ts, a child process with the documented pacing) killed with
// SIGKILL while it delivers an event: the restarted server takes the event over from Redis and
// delivers it, with the same webhook-id.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { newEmail, PASSWORD, SIGN_UP, standaloneEmulator } from '../helper.ts'
import { hasRedis, startRedis } from '../redis-server.ts'
import { Receiver } from './receiver.ts'

const root = join(import.meta.dirname, '..', '..')

/** `src/server.ts` with `env`, until it says where it listens; killed at the end of the test if still running. */
async function startServer (t: Test, env: Record<string, string>): Promise<{ base: string, child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += String(chunk)
      const match = /GraphQL API at (http:\/\/\S+)\/graphql/.exec(output)
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1].replace('localhost', '127.0.0.1')) }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)))
  })
  return { base, child }
}

t.test('a server killed between the act and the delivery delivers after its restart (Redis)', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const redis = await startRedis(t)
  const receiver = new Receiver()
  await receiver.start(t)
  // The first attempt never gets an answer: the server is killed while it waits.
  receiver.answer = () => receiver.deliveries.length === 0 ? 'hang' : 204
  // A pool of the test's own (the emulator outlives both servers), reached as a configured pool is.
  const emulator = await standaloneEmulator(t)
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'info',
    COGNITO_USER_POOL_ID: emulator.userPoolId,
    COGNITO_CLIENT_ID: emulator.clientId,
    COGNITO_ENDPOINT: emulator.endpoint,
    AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
    REDIS_URL: redis.url,
    WEBHOOK_URLS: receiver.url,
    WEBHOOK_SECRET: receiver.secret
  }

  const first = await startServer(t, env)
  const email = newEmail('restart')
  const signUp = await fetch(`${first.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SIGN_UP, variables: { input: { email, password: PASSWORD } } }) })
  t.same((await signUp.json() as { errors?: unknown }).errors, undefined, 'signed up')
  await receiver.waitFor(() => receiver.deliveries.length === 1, 20_000)
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')
  t.same(receiver.delivered(), [], 'nothing was delivered before the kill')

  // The documented pacing: the event, untouched since the kill, is taken over once 20 s idle.
  await startServer(t, env)
  const [event] = await receiver.waitFor((events) => events.length === 1, 60_000)
  t.equal(event?.type, 'user.created')
  t.equal(event?.data.email, email)
  t.equal(receiver.deliveries.at(-1)?.headers['webhook-id'], receiver.deliveries[0]?.headers['webhook-id'], 'the same webhook-id as the attempt the kill cut off')
  t.ok(receiver.deliveries.every((d) => d.event !== undefined), 'every attempt verified with standardwebhooks')
})

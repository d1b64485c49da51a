// What the session registry adds to a request, measured in-process (`npx tsx bench/session-registry.ts`):
// the work it puts on every authenticated request (`touch`: a memory lookup, and at most once a
// minute per session a write nobody waits for), next to what a whole `me` request costs on the
// same machine (app.inject, the embedded emulator). Prints a few lines; writes nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { pino } from 'pino'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import type { CognitoAdapter } from '../src/plugins/app/cognito.ts'
import { createMemoryRevocationStore, createRevocation } from '../src/plugins/app/revocation.ts'
import { createMemorySessionStore, createSessionRegistry } from '../src/plugins/app/session-registry.ts'
import { createSealer } from '../src/seal.ts'
import { loggerOptions } from '../src/logger.ts'
import { serverOptions } from '../src/server-options.ts'

const ME_CALLS = Number(process.env.BENCH_CALLS ?? 5000)
const TOUCHES = 2_000_000
const SESSIONS = 10_000

/** Mean µs of one authenticated `me` through the whole app (cookies verified, registry touched). */
async function meCost (): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'))
  const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: dir, LOG_LEVEL: 'silent', RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 } }) }
  const fastify = Fastify(serverOptions(loadConfig(env), loggerOptions('silent') as object))
  await fastify.register(fp(app), { env, exampleSpa: false })
  await fastify.ready()
  const gql = async (query: string, variables: object, cookie = '') => await fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', cookie }, payload: JSON.stringify({ query, variables }) })
  const email = `bench-${Date.now()}@example.com`
  await gql('mutation ($e: String!) { signUp(input: { email: $e, password: "Correct-Horse-9" }) { userConfirmed } }', { e: email })
  const code = (fastify.emulator?.mailbox.list(email)[0]?.code) ?? ''
  await gql('mutation ($e: String!, $c: String!) { confirmSignUp(input: { email: $e, code: $c }) }', { e: email, c: code })
  const signIn = await gql('mutation ($e: String!) { signIn(input: { email: $e, password: "Correct-Horse-9" }) { __typename } }', { e: email })
  const cookie = (signIn.cookies as Array<{ name: string, value: string }>).map((c) => `${c.name}=${c.value}`).join('; ')
  const check = (await gql('{ me { id email } }', {}, cookie)).json()
  if (check.data?.me?.email !== email) throw new Error(`not signed in: ${JSON.stringify(check)}`)
  for (let i = 0; i < 500; i++) await gql('{ me { id email } }', {}, cookie) // warm-up
  const started = performance.now()
  for (let i = 0; i < ME_CALLS; i++) await gql('{ me { id email } }', {}, cookie)
  const mean = (performance.now() - started) * 1000 / ME_CALLS
  await fastify.close()
  rmSync(dir, { recursive: true, force: true })
  return mean
}

/** Mean ns of the registry's per-request work over SESSIONS live sessions: nearly always the "written within the minute" check. */
async function touchCost (): Promise<{ ns: number, writes: number }> {
  let writes = 0
  const memory = createMemorySessionStore()
  const store = { ...memory, touch: async (id: string, at: number) => { writes++; await memory.touch(id, at) } }
  const registry = createSessionRegistry({
    store,
    sealer: createSealer('b'.repeat(32)),
    revocation: createRevocation({ store: createMemoryRevocationStore(), maxTokenLifetimeSeconds: 3600 }),
    cognito: {} as CognitoAdapter,
    logger: pino({ level: 'silent' })
  })
  const now = Math.floor(Date.now() / 1000)
  const ids = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`)
  for (const id of ids) await registry.record({ id, userId: `user-${id}`, createdAt: now, exp: now + 3600 })
  for (let i = 0; i < 100_000; i++) registry.touch(ids[i % SESSIONS] as string) // warm-up
  const started = performance.now()
  for (let i = 0; i < TOUCHES; i++) registry.touch(ids[i % SESSIONS] as string)
  return { ns: (performance.now() - started) * 1e6 / TOUCHES, writes }
}

const touch = await touchCost()
const me = await meCost()
console.log(`registry touch: ${touch.ns.toFixed(0)} ns per request (${touch.writes} writes for ${TOUCHES} requests over ${SESSIONS} sessions within one minute)`)
console.log(`whole authenticated me (inject, in-process): ${me.toFixed(0)} µs per request`)
console.log(`the registry's share of a request: ${(touch.ns / (me * 1000) * 100).toFixed(3)} %`)

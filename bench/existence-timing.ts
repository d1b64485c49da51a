// npx tsx bench/existence-timing.ts: do signUp, forgotPassword and resendConfirmationCode take as
// long for an email that has an account as for one that has none? Their answers are identical;
// this measures their time. Builds the app on the embedded emulator (in-process, a temporary data
// directory), takes interleaved samples of every case, prints medians and p90s per case and the
// differences per pair, and exits 1 when the medians of a pair differ by more than the tolerance.
// See bench/README.md.
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { randomBytes, randomInt } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { serverOptions } from '../src/server-options.ts'
import { median, quantile } from './stats.ts'

function setting (name: string, fallback: number, min = 0): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number, at least ${min}`)
  return value
}

const SAMPLES = Math.round(setting('BENCH_SAMPLES', 300, 1))
const WARMUP = Math.min(20, SAMPLES)
// The server's default (1000 ms) is sized for AWS; the emulator answers in a few ms, so a smaller
// floor shows the same thing in a fraction of the time. 0: the floor off, the server's raw timing.
const FLOOR_MS = setting('EXISTENCE_TIMING_FLOOR_MS', 50)
const TOLERANCE_MS = setting('BENCH_TOLERANCE_MS', 1)

const SIGN_UP = 'mutation ($email: String!) { signUp(input: { email: $email, password: "Bench-Password-1" }) { userConfirmed codeDelivery { destination } } }'
const CONFIRM_SIGN_UP = 'mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }'
const FORGOT_PASSWORD = 'mutation ($email: String!) { forgotPassword(input: { email: $email }) { destination } }'
const RESEND = 'mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { destination } }'

/** Every address masks to the same destination (`b***@e***.com`), so every answer has the same bytes. */
const newEmail = () => `b-${randomBytes(6).toString('hex')}@example.com`

const dataDir = mkdtempSync(join(os.tmpdir(), 'existence-timing-'))
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))
process.on('SIGINT', () => process.exit(130))

const env = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  EMULATOR_DATA_DIR: dataDir,
  EXISTENCE_TIMING_FLOOR_MS: String(FLOOR_MS),
  // One address sends every request, hundreds of times the limits a person gets.
  RATE_LIMITS: JSON.stringify({ 'signUp.address': { max: 1e6 }, 'delivery.email': { max: 1e6 }, 'delivery.address': { max: 1e6 }, 'code.user': { max: 1e6 }, 'code.address': { max: 1e6 } })
}
const server: FastifyInstance = Fastify(serverOptions(loadConfig(env)))
await server.register(fp(app), { env })
await server.ready()

async function gql (query: string, variables: Record<string, string>): Promise<string> {
  const response = await server.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query, variables }) })
  if (response.statusCode !== 200 || response.body.includes('"errors"')) throw new Error(`${query.slice(0, 40)}… failed: ${response.body}`)
  return response.body
}

function codeFor (email: string): string {
  const code = server.emulator?.mailbox.list(email)[0]?.code
  if (code === undefined) throw new Error(`no code was sent to ${email}`)
  return code
}

// The accounts. Signing up over the unconfirmed one replaces it with another unconfirmed one, so
// every sample meets the same state; an unknown email and a new sign-up take a fresh address each.
const confirmed = newEmail()
await gql(SIGN_UP, { email: confirmed })
await gql(CONFIRM_SIGN_UP, { email: confirmed, code: codeFor(confirmed) })
const unconfirmed = newEmail()
await gql(SIGN_UP, { email: unconfirmed })

interface Case { operation: string, name: string, query: string, email: () => string }
const CASES: Case[] = [
  { operation: 'signUp', name: 'new email', query: SIGN_UP, email: newEmail },
  { operation: 'signUp', name: 'confirmed account', query: SIGN_UP, email: () => confirmed },
  { operation: 'signUp', name: 'unconfirmed account (replaced)', query: SIGN_UP, email: () => unconfirmed },
  { operation: 'forgotPassword', name: 'unknown email', query: FORGOT_PASSWORD, email: newEmail },
  { operation: 'forgotPassword', name: 'confirmed account', query: FORGOT_PASSWORD, email: () => confirmed },
  { operation: 'resendConfirmationCode', name: 'unknown email', query: RESEND, email: newEmail },
  { operation: 'resendConfirmationCode', name: 'confirmed account', query: RESEND, email: () => confirmed },
  { operation: 'resendConfirmationCode', name: 'unconfirmed account', query: RESEND, email: () => unconfirmed }
]
/** What each pair compares: the first case of the operation against each of the others. */
const PAIRS = CASES.flatMap((c) => {
  const first = CASES.find((o) => o.operation === c.operation) as Case
  return first === c ? [] : [[first, c] as const]
})

const samples = new Map<Case, number[]>(CASES.map((c) => [c, []]))
const bodies = new Map<string, Set<string>>()

function shuffled<T> (items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
  }
  return copy
}

console.log(`existence timing: ${SAMPLES} samples per case (after ${WARMUP} warm-up rounds), EXISTENCE_TIMING_FLOOR_MS=${FLOOR_MS}, tolerance ${TOLERANCE_MS} ms`)
// One round runs every case once, in a new random order: drift and the work a request leaves
// behind (the emulator's store writes) fall on every case alike.
for (let round = 0; round < WARMUP + SAMPLES; round++) {
  for (const c of shuffled(CASES)) {
    const email = c.email()
    const start = performance.now()
    const body = await gql(c.query, { email })
    const took = performance.now() - start
    if (round < WARMUP) continue
    samples.get(c)?.push(took)
    const seen = bodies.get(c.operation) ?? new Set<string>()
    seen.add(body)
    bodies.set(c.operation, seen)
  }
}
await server.close()

const ms = (value: number) => value.toFixed(2).padStart(8)

console.log('\n| operation | case | median ms | p90 ms |\n| --- | --- | ---: | ---: |')
for (const c of CASES) {
  const values = samples.get(c) ?? []
  console.log(`| ${c.operation} | ${c.name} | ${ms(median(values))} | ${ms(quantile(values, 0.9))} |`)
}

let failed = false
console.log('\n| operation | pair | Δ median ms | Δ p90 ms | within tolerance |\n| --- | --- | ---: | ---: | --- |')
for (const [a, b] of PAIRS) {
  const x = samples.get(a) ?? []
  const y = samples.get(b) ?? []
  const delta = median(y) - median(x)
  const ok = Math.abs(delta) <= TOLERANCE_MS
  failed ||= !ok
  console.log(`| ${a.operation} | ${b.name} − ${a.name} | ${ms(delta)} | ${ms(quantile(y, 0.9) - quantile(x, 0.9))} | ${ok ? 'yes' : 'NO'} |`)
}
for (const [operation, seen] of bodies) {
  if (seen.size !== 1) {
    failed = true
    console.log(`\n${operation}: the answers differ between cases (${seen.size} distinct bodies)`)
  }
}
console.log(failed ? `\nFAIL: a pair differs by more than ${TOLERANCE_MS} ms at the median, or answers differ` : `\nok: every pair within ${TOLERANCE_MS} ms at the median, every answer identical`)
process.exit(failed ? 1 : 0)

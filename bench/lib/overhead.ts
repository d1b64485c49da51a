// What a sign-in and a refresh cost through our server beyond the Cognito calls they make: each
// call through (b) and the same Cognito call made directly with the AWS SDK, alternating, with
// every Cognito call timed on the emulator's side (servers/emulator.ts, `cognito-calls`); then
// (b)'s CPU profile over more of each, summarised by where the time went (./cpu-profile.ts).
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider'
import { median, quantile } from '../stats.ts'
import { gql, ME_QUERY, PASSWORD, REFRESH, signIn, timed, type Jar } from './client.ts'
import { describe, summarise, type CpuProfile, type ProfileSummary } from './cpu-profile.ts'
import { command, tmp } from './processes.ts'

export interface OverheadSetup {
  /** Our server (b): its URL and process. */
  server: { url: string, child: ChildProcess }
  /** The emulator's process (it answers `cognito-calls`), its pool and app client. */
  emulator: { child: ChildProcess, clientId: string, userPoolId: string }
  sdk: CognitoIdentityProviderClient
  email: string
  /** Measured calls each way, after 10 warm-up pairs. */
  calls: number
  /** Calls of each operation under the profiler; 0: no profile. */
  profiled: number
}

/** One side's samples: the whole call, the emulator's time in the Cognito calls it made, and which calls. */
interface Side { total: number[], cognito: number[], targets: Map<string, number> }
export interface OperationOverhead {
  operation: string
  server: Side
  direct: Side
  /** (b)'s own CPU time per call over the measured calls (process.cpuUsage: every thread), ms. */
  serverCpuMs: number
  profile?: ProfileSummary
  profiledCalls: number
}
export interface Overhead { operations: OperationOverhead[], roundTrips: number[] }

const side = (): Side => ({ total: [], cognito: [], targets: new Map() })

/** The Cognito calls the emulator answered since the last time it was asked: their total ms, and which. */
async function cognitoCalls (emulator: ChildProcess): Promise<{ ms: number, targets: string[] }> {
  const { calls } = await command(emulator, 'cognito-calls') as { calls: Array<{ target: string, ms: number }> }
  return { ms: calls.reduce((sum, call) => sum + call.ms, 0), targets: calls.map((call) => call.target) }
}

/** `calls` pairs (through (b), direct), alternating which goes first; the first 10 pairs warm up. */
async function compare (setup: OverheadSetup, operation: string, viaServer: (i: number) => Promise<unknown>, direct: (i: number) => Promise<unknown>): Promise<OperationOverhead> {
  const result: OperationOverhead = { operation, server: side(), direct: side(), serverCpuMs: NaN, profiledCalls: 0 }
  await cognitoCalls(setup.emulator.child)
  // The garbage of the throughput runs before is collected now, not on the sign-ins' account.
  await command(setup.server.child, 'gc')
  let cpuBefore = 0
  for (let i = 0; i < setup.calls + 10; i++) {
    if (i === 10) cpuBefore = await cpuOf(setup.server.child)
    const pair = [[result.server, viaServer], [result.direct, direct]] as const
    for (const [samples, call] of i % 2 === 0 ? pair : [...pair].reverse()) {
      const ms = await timed(() => call(i))
      const cognito = await cognitoCalls(setup.emulator.child)
      if (i < 10) continue
      samples.total.push(ms)
      samples.cognito.push(cognito.ms)
      const key = cognito.targets.join(' + ') || 'none'
      samples.targets.set(key, (samples.targets.get(key) ?? 0) + 1)
    }
  }
  result.serverCpuMs = (await cpuOf(setup.server.child) - cpuBefore) / setup.calls
  return result
}

/** A process's CPU time so far (all its threads), ms. */
async function cpuOf (child: ChildProcess): Promise<number> {
  const { user, system } = await command(child, 'cpu')
  return (user + system) / 1000
}

/** (b)'s CPU profile over `calls` runs of `fn`, its shares scaled to `cpuMsPerCall` (measured without the profiler). */
async function profiled (server: ChildProcess, name: string, calls: number, cpuMsPerCall: number, fn: (i: number) => Promise<unknown>): Promise<ProfileSummary> {
  const file = join(tmp, `${name}.cpuprofile`)
  await command(server, 'gc')
  await command(server, 'cpu-profile-start 100')
  for (let i = 0; i < calls; i++) await fn(i)
  await command(server, `cpu-profile-stop ${file}`)
  return summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { cpuMs: cpuMsPerCall * calls })
}

/**
 * Sessions the sign-ins through (b) give one user: the server ends a user's oldest sessions past
 * 50 (revoking them at Cognito, calls that are not the sign-in's), so the sign-ins spread over users.
 */
const SESSIONS_PER_USER = 40

/** The user of the `n`th sign-in through (b): the setup's, then users made for the bench as needed. */
function usersOf (setup: OverheadSetup): (n: number) => Promise<string> {
  const emails = [setup.email]
  return async (n) => {
    const index = Math.floor(n / SESSIONS_PER_USER)
    while (emails.length <= index) {
      const email = `bench.${Date.now()}.${emails.length}@example.com`
      await setup.sdk.send(new SignUpCommand({ ClientId: setup.emulator.clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }))
      await setup.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: setup.emulator.userPoolId, Username: email }))
      emails.push(email)
    }
    return emails[index] as string
  }
}

export async function measureOverhead (setup: OverheadSetup): Promise<Overhead> {
  const { server, sdk, email, emulator } = setup
  const userOf = usersOf(setup)
  const initiateAuth = (AuthFlow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', AuthParameters: Record<string, string>) =>
    sdk.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow, AuthParameters }))
  const jars: Jar[] = []
  const refreshTokens: string[] = []
  // Each user is made before its first sign-in is timed.
  for (let n = 0; n < setup.calls + 10 + setup.profiled; n += SESSIONS_PER_USER) await userOf(n)
  const signIns = await compare(setup, 'signIn (USER_PASSWORD_AUTH)',
    async () => jars.push(await signIn(server.url, await userOf(jars.length))),
    async () => refreshTokens.push((await initiateAuth('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD })).AuthenticationResult?.RefreshToken ?? ''))
  // Every refresh uses a refresh token of its own: the server reuses a refresh for the same token for 30 s.
  const refresh = async (jar: Jar | undefined) => {
    const { data, text } = await gql(server.url, REFRESH, {}, jar)
    if (data?.refreshSession?.expiresAt === undefined) throw new Error(`refreshSession failed: ${text}`)
  }
  const refreshes = await compare(setup, 'refreshSession (REFRESH_TOKEN_AUTH)',
    async (i) => await refresh(jars[i]),
    async (i) => await initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshTokens[i] ?? '' }))
  // For scale: one sequential round trip to (b) that reaches no Cognito (`me`).
  const roundTrips: number[] = []
  for (let i = 0; i < setup.calls; i++) roundTrips.push(await timed(async () => await gql(server.url, ME_QUERY, {}, jars[0])))

  if (setup.profiled > 0) {
    signIns.profile = await profiled(server.child, 'signIn', setup.profiled, signIns.serverCpuMs, async () => jars.push(await signIn(server.url, await userOf(jars.length))))
    signIns.profiledCalls = setup.profiled
    const fresh = jars.slice(-setup.profiled)
    refreshes.profile = await profiled(server.child, 'refreshSession', setup.profiled, refreshes.serverCpuMs, async (i) => await refresh(fresh[i]))
    refreshes.profiledCalls = setup.profiled
  }
  return { operations: [signIns, refreshes], roundTrips }
}

const fixed = (value: number) => Number.isFinite(value) ? value.toFixed(2) : 'n/a'
const differences = (x: Side) => x.total.map((total, i) => total - (x.cognito[i] ?? NaN))
/** The added median of each operation (the goal: ≤ 1 ms). */
export const addedMedian = (operation: OperationOverhead) => median(differences(operation.server))

/** The report's section. */
export function overheadReport (overhead: Overhead, calls: number): string[] {
  const calledAs = (x: Side) => [...x.targets].map(([targets, n]) => `${targets}${n === x.total.length ? '' : ` (${n}×)`}`).join('; ')
  const lines = ['## Sign-in and refresh: what our server adds to the Cognito calls it makes', '',
    `${calls} sequential calls each way (after 10 warm-up pairs), alternating: through (b) with fetch, and the same Cognito call with the AWS SDK from the bench. ` +
    'Every Cognito call is timed on the emulator\'s side (its own process: from the request\'s headers read to the answer\'s last byte written); ' +
    '"added" is each call\'s whole time minus the time of the Cognito calls it made, median and p99 over the calls. Milliseconds.', '',
    '| operation | Cognito calls made | through (b) | its Cognito calls | **added** | added p99 | (b)\'s CPU per call | direct (SDK) | its Cognito call | SDK client + one hop |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const op of overhead.operations) {
    lines.push(`| ${op.operation} | ${calledAs(op.server)} | ${fixed(median(op.server.total))} | ${fixed(median(op.server.cognito))} | **${fixed(addedMedian(op))}** | ${fixed(quantile(differences(op.server), 0.99))} | ${fixed(op.serverCpuMs)} | ` +
      `${fixed(median(op.direct.total))} | ${fixed(median(op.direct.cognito))} | ${fixed(median(differences(op.direct)))} |`)
  }
  lines.push('', '"added" includes two loopback hops (the bench to (b), (b) to the emulator) and the AWS SDK client in (b). For their scale: a direct call spends the last column outside the emulator (the SDK client in the bench and one hop), ' +
    `and one sequential \`me\` through (b), which calls no Cognito, takes median ${fixed(median(overhead.roundTrips))} ms (p99 ${fixed(quantile(overhead.roundTrips, 0.99))}). ` +
    `The earlier measure, through (b) minus direct: ${overhead.operations.map((op) => `${op.operation.split(' ')[0]} ${fixed(median(op.server.total) - median(op.direct.total))} ms`).join(', ')}.`)
  for (const op of overhead.operations) {
    if (op.profile === undefined) continue
    lines.push('', `### Where (b)'s CPU goes in a ${op.operation.split(' ')[0]}`, '',
      `(b)'s CPU profile (node:inspector, a sample every 100 µs) over ${op.profiledCalls} more sequential calls, after the measured ones (${op.profile.samples} samples); each sample goes to the innermost frame of its stack that bench/lib/cpu-profile.ts names. ` +
      `The shares are the samples'; the ms are those shares of (b)'s CPU per call measured without the profiler (${fixed(op.serverCpuMs)} ms).`, '', ...describe(op.profile, op.profiledCalls))
  }
  return lines
}

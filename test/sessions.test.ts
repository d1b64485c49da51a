// The sessions a user can see and end (Query.sessions, revokeSession), refresh-token rotation,
// and the best-effort sign-out that follows a password change.
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import t from 'tap'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import type { CognitoAdapter } from '../src/plugins/app/cognito.ts'
import { createMemoryRevocationStore, createRevocation } from '../src/plugins/app/revocation.ts'
import { createMemorySessionStore, createSessionRegistry, type SessionRegistryStore } from '../src/plugins/app/session-registry.ts'
import { createSealer } from '../src/seal.ts'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, buildBehindProxy, CHANGE_PASSWORD, Client, ME, PASSWORD, REFRESH, SIGN_IN, signedIn } from './helper.ts'

const SESSIONS = '{ sessions { id current createdAt lastSeenAt userAgent ip } }'
const REVOKE = 'mutation ($id: ID!) { revokeSession(input: { id: $id }) }'
const REVOKE_OTHERS = 'mutation { revokeOtherSessions }'

interface SessionInfo { id: string, current: boolean, createdAt: string, lastSeenAt: string | null, userAgent: string | null, ip: string | null }

/** A second browser of the same user: its own sign-in, with its own User-Agent. */
async function secondBrowser (client: Client, email: string, userAgent = 'Browser B'): Promise<Client> {
  const other = new Client(client.app)
  const res = await other.gql(SIGN_IN, { email, password: PASSWORD }, { 'user-agent': userAgent })
  if (res.data?.signIn?.__typename !== 'Session') throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`)
  return other
}

/** Everything a browser's cookies can still do, replayed on copies: GraphQL `me`, an explicit refresh, GET /session. */
async function replay (client: Client) {
  const me = (await client.clone().gql(ME)).data?.me ?? null
  const refresh = (await client.clone().gql(REFRESH)).codes
  const session = (await client.app.inject({ method: 'GET', url: '/session', headers: { cookie: client.cookieHeader() } })).statusCode
  return { me, refresh, session }
}

t.test('two browsers of one user: each lists both, marked current; one ends the other, whose cookies then get nothing anywhere', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: RELAXED_LIMITS, onAuditEvent: (e) => events.push(e) })
  const a = new Client(app)
  const email = await signedIn(a)
  const b = await secondBrowser(a, email)

  const listA = (await a.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  const listB = (await b.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.equal(listA.length, 2, 'both sessions are listed')
  t.same(listA.map((s) => s.id).sort(), listB.map((s) => s.id).sort(), 'the same two, from either browser')
  const mineA = listA.find((s) => s.current)
  const mineB = listB.find((s) => s.current)
  t.ok(mineA !== undefined && mineB !== undefined && mineA.id !== mineB.id, 'each browser sees its own session as current, and only that one')
  t.equal(listA.filter((s) => s.current).length, 1)
  const bSeenFromA = listA.find((s) => s.id === mineB?.id) as SessionInfo
  t.equal(bSeenFromA.userAgent, 'Browser B', 'the user agent of the sign-in')
  t.equal(bSeenFromA.ip, '127.0.0.1', 'the address of the sign-in')
  t.ok(Date.parse(bSeenFromA.createdAt) <= Date.now() && Date.parse(bSeenFromA.lastSeenAt ?? '') >= Date.parse(bSeenFromA.createdAt) - 1000, 'created and last seen')

  t.equal((await a.gql(REVOKE, { id: mineB?.id })).data?.revokeSession, true, 'A ends B')
  t.same(await replay(b), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'B has no session: me, refreshSession and GET /session')
  const after = (await a.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.same(after.map((s) => s.id), [mineA?.id], 'only A is left')
  t.not((await a.gql(ME)).data?.me, null, 'A keeps its session')
  t.equal((await a.gql(REVOKE, { id: mineB?.id })).data?.revokeSession, false, 'an ended session cannot be ended twice')
  const audit = events.filter((e) => e.event === 'session-revoked')
  t.equal(audit.length, 2, 'each revokeSession is an audit event')
  t.equal(audit[0]?.outcome, 'success')
})

t.test('revokeOtherSessions: every other session of the caller ends, its cookies get nothing anywhere; this one and other users\' stay', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: RELAXED_LIMITS, onAuditEvent: (e) => events.push(e) })
  const a = new Client(app)
  const email = await signedIn(a)
  const b = await secondBrowser(a, email)
  const c = await secondBrowser(a, email, 'Browser C')
  const stranger = new Client(app)
  await signedIn(stranger)

  t.same((await new Client(app).gql(REVOKE_OTHERS)).codes, ['UNAUTHENTICATED'], 'it needs a session')
  t.equal((await a.gql(REVOKE_OTHERS)).data?.revokeOtherSessions, 2, 'how many it ended')
  t.same(await replay(b), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'B: nothing at /graphql, refreshSession or GET /session')
  t.same(await replay(c), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'C: nothing either')
  const left = (await a.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.same(left.map((s) => s.current), [true], 'only this session is left')
  t.not((await a.gql(ME)).data?.me, null, 'A keeps its session')
  t.not((await stranger.gql(ME)).data?.me, null, 'another user keeps theirs')
  t.equal((await a.gql(REVOKE_OTHERS)).data?.revokeOtherSessions, 0, 'none left: 0')
  t.same(events.filter((e) => e.event === 'sessions-revoked').map((e) => e.outcome), ['failure', 'success', 'success'], 'each call is an audit event')
})

t.test('ending the current session signs this browser out; no session, no list', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const a = new Client(app)
  await signedIn(a)
  const old = a.clone()
  const [mine] = (await a.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  const res = await a.gql(REVOKE, { id: mine?.id })
  t.equal(res.data?.revokeSession, true)
  t.same(a.sessionCookies(), [], 'the cookies are cleared')
  t.same(await replay(old), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'the old cookies get nothing')
  t.same((await a.gql(SESSIONS)).codes, ['UNAUTHENTICATED'], 'sessions needs a session')
  t.same((await a.gql(REVOKE, { id: 'x' })).codes, ['UNAUTHENTICATED'], 'so does revokeSession')
})

t.test('a user cannot see or end another user\'s session: its id answers as an unknown one', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const alice = new Client(app)
  const mallory = new Client(app)
  await signedIn(alice)
  await signedIn(mallory)
  const [aliceSession] = (await alice.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  const malloryList = (await mallory.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.equal(malloryList.length, 1, 'mallory sees only her own session')
  t.not(malloryList[0]?.id, aliceSession?.id)

  const other = await mallory.gql(REVOKE, { id: aliceSession?.id })
  const unknown = await mallory.gql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' })
  t.same([other.data, other.errors], [unknown.data, unknown.errors], 'the same answer as an unknown id')
  t.equal(other.data?.revokeSession, false)
  t.not((await alice.gql(ME)).data?.me, null, 'alice keeps her session')
  t.equal(((await alice.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []).length, 1)
  t.same((await mallory.gql(REVOKE, { id: 'not a session id!' })).codes, ['BAD_USER_INPUT'], 'a malformed id is bad input')
})

t.test('sessions ended by a sign-out or a password change are not listed', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const a = new Client(app)
  const email = await signedIn(a)
  const b = await secondBrowser(a, email)
  const c = await secondBrowser(a, email, 'Browser C')
  await b.gql('mutation { signOut }')
  t.equal(((await a.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []).length, 2, 'B signed out: A and C are left')
  t.equal((await c.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Another-Pass-7' })).data?.changePassword?.__typename, 'Session')
  const left = (await c.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.equal(left.length, 1, 'after C changed the password, only C\'s new session is left')
  t.equal(left[0]?.current, true)
  t.equal((await a.gql(ME)).data?.me, null, 'A\'s session ended')
})

t.test('lastSeenAt: written at most once a minute per session, off the request path', async (t) => {
  let clock = 1_000_000
  let touches = 0
  const memory = createMemorySessionStore(() => clock)
  const store: SessionRegistryStore = { ...memory, touch: async (id, at) => { touches++; await memory.touch(id, at) } }
  const revocation = createRevocation({ store: createMemoryRevocationStore(), maxTokenLifetimeSeconds: 3600 })
  const registry = createSessionRegistry({ store, sealer: createSealer('x'.repeat(32)), revocation, cognito: {} as CognitoAdapter, logger: pino({ level: 'silent' }), now: () => clock })
  await registry.record({ id: 's1', userId: 'u', createdAt: clock, exp: clock + 86400 })
  for (let i = 0; i < 100; i++) registry.touch('s1')
  t.equal(touches, 0, 'the minute after the sign-in: no write')
  clock += 59
  registry.touch('s1')
  t.equal(touches, 0, 'still within the minute')
  clock += 1
  for (let i = 0; i < 100; i++) registry.touch('s1')
  t.equal(touches, 1, 'a minute on: one write for a hundred requests')
  await sleep(10)
  const list = await registry.list('u', 's1')
  t.equal(list[0]?.lastSeenAt?.getTime(), clock * 1000, 'the time written')
  clock += 30
  registry.touch('s1')
  t.equal(touches, 1)
  clock += 30
  registry.touch('s1')
  t.equal(touches, 2, 'and one more the next minute')
})

t.test('the registry is bounded per user: the oldest sessions go first', async (t) => {
  const store = createMemorySessionStore()
  const now = Math.floor(Date.now() / 1000)
  for (let i = 0; i < 60; i++) await store.put({ id: `s${i}`, userId: 'u', createdAt: now + i, lastSeenAt: now + i, exp: now + 3600 })
  const ids = (await store.listOf('u')).map((r) => r.id)
  t.equal(ids.length, 50)
  t.notOk(ids.includes('s0'), 'the oldest were dropped')
  t.ok(ids.includes('s59'))
  await store.put({ id: 'gone', userId: 'v', createdAt: now - 10, lastSeenAt: now - 10, exp: now - 1 })
  t.same(await store.listOf('v'), [], 'an expired session is not listed')
})

t.test('rotation: a refresh replaces the refresh token; replaying the old cookie ends the whole session', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: { ...RELAXED_LIMITS, REFRESH_TOKEN_ROTATION: 'true', EMULATOR_TOKEN_TTL: '2' }, onAuditEvent: (e) => events.push(e) })
  const browser = new Client(app)
  await signedIn(browser)
  const stolen = browser.clone()
  const refreshed = await browser.gql(REFRESH)
  t.equal(refreshed.errors, undefined, 'the refresh worked')
  t.not(browser.jar.get('__Host-refresh'), stolen.jar.get('__Host-refresh'), 'and set a new refresh cookie')
  const [session] = (await browser.gql<{ sessions: SessionInfo[] }>(SESSIONS)).data?.sessions ?? []
  t.equal(session?.current, true, 'the rotated session is still the one session listed')

  // Past the reuse window of the refresh just done (its access token has expired): the old cookie reaches Cognito.
  await sleep(3100)
  t.same((await stolen.clone().gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'the replayed old refresh cookie gets no session')
  t.ok(events.some((e) => e.event === 'refresh-token-reused' && e.outcome === 'failure'), 'an audit event')
  t.same(await replay(browser), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'and the rightful browser\'s newer cookies are ended with it')
  t.same(await replay(stolen), { me: null, refresh: ['UNAUTHENTICATED'], session: 401 }, 'the old cookies stay ended')
})

t.test('rotation: concurrent refreshes of one browser reach Cognito once, and the session lives on', async (t) => {
  const { app, proxy, client } = await buildBehindProxy(t, { env: { ...RELAXED_LIMITS, REFRESH_TOKEN_ROTATION: 'true' }, refreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } })
  const browser = client()
  await signedIn(browser)
  const copies = Array.from({ length: 5 }, () => browser.clone())
  const answers = await Promise.all(copies.map(async (copy) => await copy.gql(REFRESH)))
  t.same(answers.map((a) => a.errors), [undefined, undefined, undefined, undefined, undefined], 'every request got a session')
  t.equal(proxy.count('GetTokensFromRefreshToken'), 1, 'one refresh at Cognito')
  t.equal(proxy.count('InitiateAuth'), 1, 'the sign-in only: no REFRESH_TOKEN_AUTH')
  for (const copy of copies) t.not((await copy.gql(ME)).data?.me, null, 'each copy holds the live session')
  t.equal((await copies[4]?.gql(REFRESH))?.errors, undefined, 'the newest refresh token refreshes again')
  t.ok(app !== undefined)
})

t.test('a failing sign-out at Cognito after a successful password change: the change succeeds, the failure is logged and retried', async (t) => {
  const logs: string[] = []
  const { proxy, client } = await buildBehindProxy(t, { env: RELAXED_LIMITS, logs })
  const browser = client()
  const email = await signedIn(browser)
  proxy.set('GlobalSignOut', { kind: 'status', status: 500 })
  const changed = await browser.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Changed-Pass-3' })
  t.equal(changed.data?.changePassword?.__typename, 'Session', 'the password change answers its new session')
  t.equal(changed.errors, undefined, 'and no error')
  const failedNow = proxy.count('GlobalSignOut')
  t.ok(failedNow >= 1, 'the sign-out was tried')
  t.ok(logs.some((l) => l.includes('a follow-up Cognito call failed after the operation succeeded')), 'the failure is logged')
  t.equal((await new Client(browser.app).gql(SIGN_IN, { email, password: 'Changed-Pass-3' })).data?.signIn?.__typename, 'Session', 'the new password works')

  proxy.clear()
  for (let i = 0; i < 50 && !logs.some((l) => l.includes('succeeded on a retry')); i++) await sleep(100)
  t.ok(proxy.count('GlobalSignOut') > failedNow, 'retried in the background')
  t.ok(logs.some((l) => l.includes('a follow-up Cognito call succeeded on a retry')), 'until it succeeded')
})

t.test('rotation: a refresh repeated after the user changed asks Cognito with the newest refresh token, never the spent one', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: { ...RELAXED_LIMITS, REFRESH_TOKEN_ROTATION: 'true' }, onAuditEvent: (e) => events.push(e) })
  const browser = new Client(app)
  await signedIn(browser)
  const lagging = browser.clone()
  t.equal((await browser.gql(REFRESH)).errors, undefined, 'a refresh rotated the refresh token')
  const me = (await browser.gql(ME)).data?.me
  await app.sessions.userChanged(me.id)
  t.equal((await lagging.gql(REFRESH)).errors, undefined, 'the same refresh repeated with the old cookie after a change to the user: a session')
  t.notOk(events.some((e) => e.event === 'refresh-token-reused'), 'no reuse')
  t.not((await browser.gql(ME)).data?.me, null, 'the browser keeps its session')
  t.not((await lagging.gql(ME)).data?.me, null, 'and so does the repeated one')
})

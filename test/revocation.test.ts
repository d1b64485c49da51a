import t from 'tap'
import { build, buildBehindProxy, Client, ME, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, signedIn } from './helper.ts'
import { createMemoryRevocationStore, createRevocation } from '../src/plugins/app/revocation.ts'
import { sessionIdOf } from '../src/plugins/app/session-model.ts'

t.test('after signOut, the old access and refresh cookies give no session', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  await signedIn(client)
  const stolen = client.clone()

  t.same((await client.gql(SIGN_OUT)).data, { signOut: true })
  t.same((await stolen.gql(ME)).data, { me: null }, 'the replayed access cookie is denied')
  t.same((await stolen.gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'the replayed refresh cookie is refused')

  const refreshOnly = new Client(app)
  refreshOnly.jar.set('__Host-refresh', stolen.jar.get('__Host-refresh') as string)
  t.same((await refreshOnly.gql(ME)).data, { me: null }, 'no transparent refresh from a revoked refresh cookie')
})

t.test('signOut(everywhere) ends every session of the user and needs a session', async (t) => {
  const app = await build(t)
  const laptop = new Client(app)
  const email = await signedIn(laptop)
  const phone = new Client(app)
  await phone.gql(SIGN_IN, { email, password: PASSWORD })
  const laptopCopy = laptop.clone()

  t.same((await new Client(app).gql(SIGN_OUT, { everywhere: true })).codes, ['UNAUTHENTICATED'])
  t.same((await laptop.gql(SIGN_OUT, { everywhere: true })).data, { signOut: true })
  t.same(laptop.sessionCookies(), [])
  t.same((await phone.gql(ME)).data, { me: null }, 'the phone is signed out')
  t.same((await phone.gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'and cannot refresh')
  t.same((await laptopCopy.gql(ME)).data, { me: null }, 'a replay of the laptop cookies is denied')

  const again = new Client(app)
  t.equal((await again.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session')
  t.equal((await again.gql(ME)).data?.me.email, email, 'a new sign-in right after the global sign-out works')
})

t.test('signOut without a session clears cookies and answers true', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  client.jar.set('__Host-access', 'garbage')
  t.same((await client.gql(SIGN_OUT)).data, { signOut: true })
  t.equal(client.jar.size, 0)
})

t.test('a refresh that finishes after a sign-out sets no cookies', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
  const client = newClient()
  await signedIn(client)
  await new Promise((resolve) => setTimeout(resolve, 2100))

  // Cognito is slow to answer the refresh; the user signs out meanwhile (from another tab).
  proxy.set('InitiateAuth', { kind: 'delay', ms: 400 })
  const racing = client.clone()
  const pending = racing.gql(ME)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.same((await client.gql(SIGN_OUT)).data, { signOut: true })
  const late = await pending

  t.same(late.data, { me: null }, 'the late refresh gives no session')
  const setCookies = (late.response.headers['set-cookie'] ?? []) as string[]
  t.ok(setCookies.every((c) => /Max-Age=0/.test(c)), 'it only clears cookies, it sets none')
  t.equal(proxy.count('InitiateAuth'), 2, 'one sign-in and one refresh reached Cognito')
})

t.test('revocation rules', async (t) => {
  const store = createMemoryRevocationStore()
  t.teardown(() => store.close())
  const revocation = createRevocation({ store, maxTokenLifetimeSeconds: 3600 })
  const now = Math.floor(Date.now() / 1000)
  // A token as revocation sees it: its session id read from the claims as the session does (sessionIdOf).
  const token = (over: Partial<{ sub: string, jti: string, origin_jti: string, iat: number }>) => {
    const claims = { sub: 'u1', jti: 'j', iat: now - 10, exp: now + 3600, ...over }
    return { sub: claims.sub, sessionId: sessionIdOf(claims), iat: claims.iat, exp: claims.exp }
  }

  await revocation.endSession(token({ origin_jti: 'o1', jti: 'a' }).sessionId)
  t.ok(await revocation.isDenied(token({ origin_jti: 'o1', jti: 'b' })), 'every token of an ended session (same origin_jti) is denied')
  t.notOk(await revocation.isDenied(token({ origin_jti: 'o2', jti: 'c' })), 'other sessions are not')
  t.ok(await (async () => { await revocation.endSession(token({ jti: 'x' }).sessionId); return await revocation.isDenied(token({ jti: 'x' })) })(), 'without origin_jti the presented token is denied')

  await revocation.endAllSessions('u2')
  t.ok(await revocation.isDenied(token({ sub: 'u2', jti: 'old', iat: now - 1 })), 'a token issued before the mark is denied')
  t.ok(await revocation.isDenied(token({ sub: 'u2', jti: 'same-second', iat: now })), 'a token of the mark\'s second is denied unless admitted')
  t.ok(await revocation.isDenied(token({ sub: 'u2', jti: 'skewed', iat: now + 3 })), 'so is one stamped a few seconds ahead by a clock that runs fast')
  await revocation.admit(token({ sub: 'u2', jti: 'fresh', iat: now }))
  t.notOk(await revocation.isDenied(token({ sub: 'u2', jti: 'fresh', iat: now })), 'a fresh authentication of that window is admitted')
  t.notOk(await revocation.isDenied(token({ sub: 'u2', jti: 'later', iat: now + 10 })), 'a token from past the window passes')
  t.notOk(await revocation.isDenied(token({ sub: 'u3', jti: 'other', iat: now - 1 })), 'other users are not affected')
  t.ok(await revocation.claimOnce('code', now + 60), 'a one-time value is claimed once')
  t.notOk(await revocation.claimOnce('code', now + 60), 'and refused after')
  const racing = await Promise.all([revocation.claimOnce('race', now + 60), revocation.claimOnce('race', now + 60)])
  t.same(racing.sort(), [false, true], 'of two racing claims exactly one wins')
})

t.test('signOut with a Bearer token denies that token', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  await signedIn(client)
  const bearer = { authorization: `Bearer ${client.jar.get('__Host-access') as string}` }
  const holder = new Client(app)
  t.ok((await holder.gql(ME, undefined, bearer)).data?.me, 'the Bearer token works')
  t.same((await holder.gql(SIGN_OUT, undefined, bearer)).data, { signOut: true })
  t.same((await holder.gql(ME, undefined, bearer)).data, { me: null }, 'and is refused after its sign-out')
})

t.test('signOut with an expired access cookie still ends the session it belongs to', async (t) => {
  const { client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
  const client = newClient()
  await signedIn(client)
  const stolen = client.clone()
  await new Promise((resolve) => setTimeout(resolve, 2100))
  t.same((await client.gql(SIGN_OUT)).data, { signOut: true }, 'signed out while the access token had expired')
  t.same((await stolen.gql(ME)).data, { me: null }, 'the replayed cookies give no session')
})

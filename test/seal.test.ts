import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { createSealer } from '../src/seal.ts'
import { build, Client, REFRESH, signedIn, standaloneEmulator } from './helper.ts'

const OLD = 'o'.repeat(32)
const NEW = 'n'.repeat(32)

/** The sealed value with its authentication tag cut to `bytes`. */
function cutTag (sealed: string, bytes: number): string {
  const parts = sealed.split('.')
  parts[3] = Buffer.from(parts[3] as string, 'base64url').subarray(0, bytes).toString('base64url')
  return parts.join('.')
}

t.test('a sealed value opens only whole, with its full 16-byte tag', async (t) => {
  const sealer = createSealer(OLD)
  const sealed = sealer.seal('refresh', { a: 1 })
  t.same(sealer.unseal('refresh', sealed), { a: 1 })
  for (const bytes of [4, 8, 12, 15]) t.equal(sealer.unseal('refresh', cutTag(sealed, bytes)), undefined, `a tag cut to ${bytes} bytes is refused`)
  t.equal(sealer.unseal('challenge', sealed), undefined, 'another purpose is refused')
  t.equal(sealer.unseal('refresh', `${sealed}.x`), undefined, 'an extra part is refused')
})

t.test('secrets rotate: sealed with the first, opened with any', async (t) => {
  const before = createSealer([OLD]).seal('refresh', { v: 'old' })
  const rotated = createSealer([NEW, OLD])
  t.same(rotated.unseal('refresh', before), { v: 'old' }, 'a cookie sealed with the old secret still opens')
  const after = rotated.seal('refresh', { v: 'new' })
  t.same(createSealer([NEW]).unseal('refresh', after), { v: 'new' }, 'new cookies are sealed with the first secret')
  t.equal(createSealer([OLD]).unseal('refresh', after), undefined, 'and do not open with the old one alone')
  t.equal(loadConfig({ COOKIE_SECRET: `${NEW},${OLD}` }).cookie.secrets?.length, 2)
  t.throws(() => loadConfig({ COOKIE_SECRET: `${NEW},short` }), /COOKIE_SECRET: every comma-separated secret must have at least 32 characters/)
})

t.test('a refresh cookie with a truncated tag refreshes nothing', async (t) => {
  const app = await build(t, { env: { COOKIE_SECRET: NEW } })
  const client = new Client(app)
  await signedIn(client)
  const forged = client.clone()
  forged.jar.set('__Host-refresh', cutTag(client.jar.get('__Host-refresh') as string, 4))
  t.same((await forged.gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'the cut cookie is no refresh cookie')
  t.equal((await client.gql(REFRESH)).errors, undefined, 'the whole one refreshes')
})

t.test('after a rotation, sessions sealed with the previous secret go on', async (t) => {
  // Two servers on one pool: before the rotation, and after it.
  // A configured pool's admin calls sign with the SDK's standard credential chain.
  const emulator = await standaloneEmulator(t)
  const pool = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint }
  const before = await build(t, { env: { ...pool, COOKIE_SECRET: OLD }, jwks: emulator.jwks })
  const after = await build(t, { env: { ...pool, COOKIE_SECRET: `${NEW},${OLD}` }, jwks: emulator.jwks })
  const client = new Client(before, emulator.mailbox)
  await signedIn(client)
  const moved = new Client(after, emulator.mailbox)
  for (const [name, value] of client.jar) moved.jar.set(name, value)
  const refreshed = await moved.gql(REFRESH)
  t.equal(refreshed.errors, undefined, 'the old refresh cookie refreshes on the rotated server')
  const fresh = new Client(after, emulator.mailbox)
  await signedIn(fresh)
  t.not(createSealer([NEW]).unseal('refresh', fresh.jar.get('__Host-refresh')), undefined, 'a session the rotated server starts is sealed with the new secret')
})

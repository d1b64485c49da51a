// What the real-client tests share: the server listening on a loopback port (in either persisted
// mode), a fetch with a cookie jar (a browser's, for Node), the journey's documents, and the
// SPA's registered documents as graphql-codegen's client preset hands them to a client.
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { parse, type DocumentNode } from 'graphql'
import type { Test } from 'tap'
import { RELAXED_LIMITS, totp } from '../challenge-helpers.ts'
import { CookieJar } from '../cookie-jar.ts'
import { build, newEmail, PASSWORD } from '../helper.ts'

export { newEmail, PASSWORD, totp }

/** The committed manifest: the example SPA's operations, which PERSISTED_OPERATIONS=only runs. */
export const MANIFEST = fileURLToPath(new URL('../../schema/persisted-operations.json', import.meta.url))

/** Limits loose enough for one user to sign up and in many times. */
export const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'signUp.address': { max: 1000 }, 'delivery.email': { max: 1000 } }) }

export type Mode = 'default' | 'only'

/** The environment of a server in `mode`: `only` runs the committed manifest (or `manifest`) and nothing else. */
export function modeEnv (mode: Mode, manifest = MANIFEST): Record<string, string> {
  return mode === 'only' ? { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifest } : {}
}

/** The app built as the server runs it, listening on a free loopback port; `url` is its GraphQL endpoint on localhost. */
export async function listening (t: Test, env: Record<string, string> = {}): Promise<{ app: FastifyInstance, origin: string, url: string }> {
  const app = await build(t, { env: { ...LIMITS, ...env } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const origin = `http://localhost:${(app.server.address() as AddressInfo).port}`
  return { app, origin, url: `${origin}/graphql` }
}

/** A request the server received, as the test's fetch saw it go out. */
export interface Sent { method: string, url: string, headers: Record<string, string>, body: string | undefined, status: number }

/**
 * A fetch with a cookie jar, as a browser keeps one for the API's origin (Node's fetch keeps
 * none), which also records every request it sends and the status of its answer.
 */
export function browserFetch (): { fetch: typeof fetch, jar: CookieJar, sent: Sent[] } {
  const jar = new CookieJar()
  const sent: Sent[] = []
  const jarred: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const headers = new Headers(request.headers)
    if (jar.size > 0) headers.set('cookie', jar.header())
    const body = request.body === null ? undefined : await request.text()
    const response = await fetch(request.url, { method: request.method, headers, body })
    jar.store(response.headers.getSetCookie())
    sent.push({ method: request.method, url: request.url, headers: Object.fromEntries(headers), body, status: response.status })
    return response
  }
  return { fetch: jarred, jar, sent }
}

/** The newest code the embedded emulator sent to `to`. */
export async function mailboxCode (app: FastifyInstance, to: string): Promise<string> {
  const response = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })
  const [message] = response.json() as Array<{ code: string }>
  if (message === undefined) throw new Error(`no code was sent to ${to}`)
  return message.code
}

/** A document of graphql-codegen's client preset (documentMode documentNode): the AST, and the manifest's hash in `__meta__`. */
export type RegisteredDocument = DocumentNode & { __meta__: { hash: string } }

/** The committed manifest's operations by name (`SignIn` …), as the client preset generates them for an app. */
export function registeredDocuments (manifest = MANIFEST): Map<string, RegisteredDocument> {
  const byName = new Map<string, RegisteredDocument>()
  for (const [hash, text] of Object.entries(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>)) {
    const name = /\b(?:query|mutation) (\w+)/.exec(text)?.[1]
    if (name !== undefined) byName.set(name, Object.assign(parse(text), { __meta__: { hash } }))
  }
  return byName
}

/** The journey's operations, as an app writes them (the default mode runs any document). */
export const OPERATIONS = {
  signUp: 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }',
  confirmSignUp: 'mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }',
  signIn: 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } } ' +
    'fragment SignInStep on SignInResult { ... on Session { expiresAt user { id email mfa } } ... on Challenge { name } }',
  respondToChallenge: 'mutation RespondToChallenge($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ...SignInStep } } ' +
    'fragment SignInStep on SignInResult { ... on Session { expiresAt user { id email mfa } } ... on Challenge { name } }',
  me: 'query Me { me { id email mfa } }',
  setupTotp: 'mutation SetupTotp($input: ReauthInput!) { setupTotp(input: $input) { secret } }',
  verifyTotp: 'mutation VerifyTotp($input: VerifyTotpInput!) { verifyTotp(input: $input) { id mfa } }',
  signOut: 'mutation SignOut($input: SignOutInput) { signOut(input: $input) }',
  sessions: 'query Sessions { sessions { id current } }'
} as const

/** The journey's operations as ASTs (Apollo Client takes nothing else). */
export const DOCUMENTS = Object.fromEntries(Object.entries(OPERATIONS).map(([name, text]) => [name, parse(text)])) as Record<keyof typeof OPERATIONS, DocumentNode>

/** The operations a runner performs on one client, so one journey serves every client. */
export interface Runner {
  /** Runs an operation of the journey; resolves to its data, rejects with the client's own error. */
  run: (operation: keyof typeof OPERATIONS, variables?: Record<string, unknown>) => Promise<Record<string, any>>
}

/**
 * The whole journey a user takes, through `runner`: sign up, the mailbox's code, sign in, an
 * authenticator set up, sign out, sign in through the TOTP challenge, `me`, sign out.
 */
export async function journey (t: Test, app: FastifyInstance, runner: Runner, label: string): Promise<string> {
  const email = newEmail(label)
  t.match(await runner.run('signUp', { input: { email, password: PASSWORD } }), { signUp: { userConfirmed: false } }, 'signUp')
  t.match(await runner.run('confirmSignUp', { input: { email, code: await mailboxCode(app, email) } }), { confirmSignUp: true }, 'confirmSignUp with the mailbox\'s code')
  t.match(await runner.run('signIn', { input: { email, password: PASSWORD } }), { signIn: { user: { email, mfa: [] } } }, 'signIn: a session')
  const { setupTotp } = await runner.run('setupTotp', { input: { currentPassword: PASSWORD } })
  t.match(await runner.run('verifyTotp', { input: { code: totp(setupTotp.secret) } }), { verifyTotp: { mfa: ['TOTP'] } }, 'an authenticator set up')
  t.match(await runner.run('signOut'), { signOut: true }, 'signOut')
  t.match(await runner.run('me'), { me: null }, 'signed out: me is null')
  t.match(await runner.run('signIn', { input: { email, password: PASSWORD } }), { signIn: { name: 'SOFTWARE_TOKEN_MFA' } }, 'signIn: the TOTP challenge')
  t.match(await runner.run('respondToChallenge', { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(setupTotp.secret, 1) } }), { respondToChallenge: { user: { email, mfa: ['TOTP'] } } }, 'the challenge answered: a session')
  t.match(await runner.run('me'), { me: { email, mfa: ['TOTP'] } }, 'me')
  t.match(await runner.run('signOut'), { signOut: true }, 'signOut')
  return email
}

// The embedded emulator's own token minting: an RSA key per data directory (never the
// key shipped inside cognito-local, which anyone can read) and a TokenGenerator with
// the claims real Cognito puts in its tokens, origin_jti included.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { TokenGenerator, Tokens } from 'cognito-local/lib/services/tokenGenerator.js'
import type { User } from 'cognito-local/lib/services/userPoolService.js'
import { readableBy } from './rules/attributes.ts'
import type { Claims, ClaimsCustomizer } from './rules/token-customization.ts'

/** A public signing key as published in a JWKS (a type alias, so it is a JSON object for aws-jwt-verify). */
export type PublicJwk = { kty: 'RSA', use: 'sig', alg: 'RS256', kid: string, n: string, e: string }

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: PublicJwk
}

/** Loads the key persisted in `file`, or creates it (mode 0600) the first time. */
export async function loadOrCreateSigningKey (file: string): Promise<SigningKey> {
  let privateJwk: JsonWebKey
  try {
    privateJwk = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    privateJwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' })
  }
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' })
  const publicKey = createPublicKey(privateKey)
  const { n, e } = publicKey.export({ format: 'jwk' })
  if (n === undefined || e === undefined) throw new Error(`${file} does not hold an RSA key`)
  // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
  const kid = createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url')
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e } }
}

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

export function signJwt (key: SigningKey, claims: Claims): string {
  const input = `${b64json({ kid: key.kid, alg: 'RS256' })}.${b64json(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`
}

/** The claims when the signature (RS256, our kid) checks out, else undefined. Expiry is the caller's business. */
export function verifyJwt (key: SigningKey, token: string): Claims | undefined {
  const [header, payload, signature, extra] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) return undefined
  try {
    const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString())
    if (alg !== 'RS256' || kid !== key.kid) return undefined
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, 'base64url'))) return undefined
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    return typeof claims === 'object' && claims !== null ? claims : undefined
  } catch {
    return undefined
  }
}

/**
 * What a refresh keeps from the authentication that issued the refresh token. `scope` is set for
 * tokens of the managed login (OAuth: the granted scopes, in the access token and kept by the
 * refresh token); `nonce` only for the id token the token endpoint answers with.
 */
export interface AuthSession {
  originJti: string
  authTime: number
  /** A rotated refresh token keeps the expiry of the one it replaces (epoch seconds). */
  refreshExp?: number
  scope?: string
  nonce?: string
  /** The remembered device the session is bound to (its refresh token then refreshes only with that DEVICE_KEY). */
  deviceKey?: string
}

const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const
const seconds = (validity: number | undefined, unit: string | undefined, fallback: number): number =>
  validity === undefined ? fallback : validity * (SECONDS[(unit ?? 'hours') as keyof typeof SECONDS] ?? 3600)

/**
 * Same interface and claims as cognito-local's JwtTokenGenerator, signed with our key, plus
 * origin_jti. cognito-local's refresh flow does not hand the refresh token to the generator,
 * so REFRESH_TOKEN_AUTH (targets/auth-flows/refresh-token-auth.ts) runs inside `session.run(...)`
 * with what it read from it.
 */
export class DevTokenGenerator implements TokenGenerator {
  readonly session = new AsyncLocalStorage<AuthSession>()
  /** The device a sign-in in progress binds its tokens to, where the pool tracks devices (rules/device-sign-in.ts). */
  readonly signInDevice = new AsyncLocalStorage<string>()
  /** Why tokens are minted, where cognito-local cannot say (NewPasswordChallenge): the pre token generation trigger's source. */
  readonly source = new AsyncLocalStorage<string>()

  private readonly key: SigningKey
  /** e.g. https://cognito-idp.eu-west-1.amazonaws.com; the issuer is `${issuerDomain}/${poolId}` */
  private readonly issuerDomain: string
  private readonly clock: Clock
  /** The pool's pre token generation trigger, when there is one (./rules/token-customization.ts). */
  private readonly customize?: ClaimsCustomizer
  constructor (key: SigningKey, issuerDomain: string, clock: Clock, customize?: ClaimsCustomizer) {
    this.key = key
    this.issuerDomain = issuerDomain
    this.clock = clock
    this.customize = customize
  }

  async generate (ctx: Context, user: User, userGroups: readonly string[], client: AppClient, clientMetadata?: Record<string, string>, source = 'Authentication'): Promise<Tokens> {
    const now = Math.floor(this.clock.get().getTime() / 1000)
    // A session carried over (a refresh) keeps its own device binding; a new sign-in takes the one in progress.
    const { originJti, authTime, refreshExp, scope, nonce, deviceKey }: AuthSession = this.session.getStore() ?? { originJti: randomUUID(), authTime: now, deviceKey: this.signInDevice.getStore() }
    const device = deviceKey === undefined ? {} : { device_key: deviceKey }
    // Only what the app client may read (its ReadAttributes), never a developer-only attribute (dev:custom:…).
    const readable = readableBy(client)
    const attributes = Object.fromEntries(user.Attributes.filter(a => readable(a.Name)).map(a => [a.Name, a.Value]))
    // The pool keeps `identities` as a JSON string; Cognito's id token carries it parsed.
    const identities = attributes.identities === undefined ? {} : { identities: JSON.parse(attributes.identities) as unknown }
    const common = {
      sub: attributes.sub,
      iss: `${this.issuerDomain}/${client.UserPoolId}`,
      origin_jti: originJti,
      event_id: randomUUID(),
      auth_time: authTime,
      iat: now,
      ...(userGroups.length > 0 ? { 'cognito:groups': [...userGroups] } : {})
    }
    const units = client.TokenValidityUnits
    const access: Claims = {
      ...common,
      token_use: 'access',
      scope: scope ?? 'aws.cognito.signin.user.admin',
      ...(scope === undefined ? {} : { version: 2 }),
      ...device,
      client_id: client.ClientId,
      username: user.Username,
      jti: randomUUID(),
      exp: now + seconds(client.AccessTokenValidity, units?.AccessToken, 3600)
    }
    const id: Claims = {
      ...attributes, // every standard and custom attribute (name, email, custom:..., ...)
      ...identities,
      ...common,
      ...(nonce === undefined ? {} : { nonce }),
      email_verified: attributes.email_verified === 'true',
      ...('phone_number_verified' in attributes ? { phone_number_verified: attributes.phone_number_verified === 'true' } : {}),
      'cognito:username': user.Username,
      aud: client.ClientId,
      token_use: 'id',
      jti: randomUUID(),
      exp: now + seconds(client.IdTokenValidity, units?.IdToken, 3600)
    }
    await this.customize?.(ctx, { user, groups: userGroups, client, source: this.source.getStore() ?? source, clientMetadata, id, access })
    // Real refresh tokens are opaque (encrypted); ours is a signed JWT carrying what a refresh must keep.
    const refresh = {
      token_use: 'refresh',
      client_id: client.ClientId,
      'cognito:username': user.Username,
      origin_jti: originJti,
      auth_time: authTime,
      ...(scope === undefined ? {} : { scope }),
      ...device,
      jti: randomUUID(),
      iat: now,
      exp: refreshExp ?? now + seconds(client.RefreshTokenValidity, units?.RefreshToken ?? 'days', 30 * 86400)
    }
    return { AccessToken: signJwt(this.key, access), IdToken: signJwt(this.key, id), RefreshToken: signJwt(this.key, refresh) }
  }

  /** The claims of a live `use` token we minted; 'expired' when it is ours but past its exp; else undefined. */
  read (token: unknown, use: 'access' | 'id' | 'refresh'): Claims | 'expired' | undefined {
    const claims = typeof token === 'string' ? verifyJwt(this.key, token) : undefined
    if (claims === undefined || claims.token_use !== use) return undefined
    if (use === 'access' && !String(claims.iss).startsWith(`${this.issuerDomain}/`)) return undefined
    return typeof claims.exp === 'number' && claims.exp * 1000 > this.clock.get().getTime() ? claims : 'expired'
  }
}

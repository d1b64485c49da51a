// Bridges between cognito-local and real Cognito: for each target where the emulator is
// missing or differs from AWS (app client with PreventUserExistenceErrors: ENABLED), a small
// handler that runs before and/or after cognito-local's own. Errors are cognito-local's
// CognitoError, so its HTTP layer answers 400 with the right `__type`, as AWS does.
import { randomBytes, randomInt } from 'node:crypto'
import { CodeMismatchError, CognitoError, InvalidParameterError, NotAuthorizedError, UserNotFoundError } from 'cognito-local/lib/errors.js'
import type { Route, Router } from 'cognito-local/lib/server/Router.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod.js'
import { generateSecret as generateTotpSecret, verify as verifyTotp } from 'cognito-local/lib/services/totp.js'
import { attributesAppend, attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Claims, DevTokenGenerator } from './tokens.ts'

/** The subset of a pool's PasswordPolicy that AWS checks on every password it is given. */
export interface PasswordPolicy {
  MinimumLength?: number
  RequireUppercase?: boolean
  RequireLowercase?: boolean
  RequireNumbers?: boolean
  RequireSymbols?: boolean
}

// The characters AWS counts as symbols.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/

/** AWS's InvalidPasswordException message for the first rule `password` breaks, or undefined. */
export function passwordPolicyViolation (policy: PasswordPolicy | undefined, password: string): string | undefined {
  const rule =
    password.length < (policy?.MinimumLength ?? 8)
      ? 'Password not long enough'
      : policy?.RequireUppercase === true && !/[A-Z]/.test(password)
        ? 'Password must have uppercase characters'
        : policy?.RequireLowercase === true && !/[a-z]/.test(password)
          ? 'Password must have lowercase characters'
          : policy?.RequireNumbers === true && !/[0-9]/.test(password)
            ? 'Password must have numeric characters'
            : policy?.RequireSymbols === true && !SYMBOL.test(password)
              ? 'Password must have symbol characters'
              : undefined
  return rule === undefined ? undefined : `Password did not conform with policy: ${rule}`
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const LOWER = 'abcdefghijkmnopqrstuvwxyz'
const DIGITS = '23456789'

/** A temporary password that meets `policy`, as AWS makes one up when an administrator gives none. */
export function temporaryPassword (policy: PasswordPolicy | undefined): string {
  const pick = (chars: string) => chars[randomInt(chars.length)] as string
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick('!#%+-=')]
  while (chars.length < Math.max(12, policy?.MinimumLength ?? 8)) chars.push(pick(UPPER + LOWER + DIGITS))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}

/** AWS shows where a code went without showing the address: a***@e***. */
export function maskDestination (destination: string): string {
  const at = destination.indexOf('@')
  return at >= 0 ? `${destination.slice(0, 1)}***@${destination.slice(at + 1, at + 2)}***` : `+*******${destination.slice(-4)}`
}

/** Our own bookkeeping on the stored user: sessions whose access tokens were revoked. */
type DevUser = User & { RevokedOriginJtis?: string[] }

export interface BridgeDeps {
  services: Services
  tokens: DevTokenGenerator
}

type Handler = (ctx: Context, req: any, next: Route) => Promise<any>

const INCORRECT = 'Incorrect username or password.'

/** Rethrows `err`, replaced by `replacement()` when it is a CognitoError of one of `codes`. */
const translate = (codes: string[], replacement: () => Error) => (err: unknown): never => {
  throw err instanceof CognitoError && codes.includes(err.code) ? replacement() : err
}

// cognito-local only decodes these tokens; the handlers below check signature and expiry first.
// (The targets bridged further, ChangePassword, GlobalSignOut and the MFA and attribute ones,
// check theirs in their own handler.)
const ACCESS_TOKEN_TARGETS = new Set(['GetUser', 'DeleteUser'])

/** AWS's AuthSessionValidity default: a challenge session lives three minutes. */
const CHALLENGE_SESSION_MS = 3 * 60_000

/** A challenge session the bridge issued: for one user of one pool, one challenge, one answer. */
interface HeldChallenge {
  poolId: string
  username: string
  challenge: string
  expires: number
  /** MFA_SETUP: the first code of the new authenticator was verified. */
  verified: boolean
}

type MfaMethod = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA'

/** The MFA methods a user has enabled, as cognito-local reads them (MFAOptions is the legacy SMS setting). */
function enabledMfa (user: User): MfaMethod[] {
  const listed = user.UserMFASettingList ?? []
  const legacy = listed.length === 0 && (user.MFAOptions ?? []).some(o => o.DeliveryMedium === 'SMS') ? ['SMS_MFA'] : []
  return (['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] as const).filter(m => listed.includes(m) || legacy.includes(m))
}

/** The part of an MFA preference request about one method. */
interface MfaSettings { Enabled?: boolean, PreferredMfa?: boolean }

/** Wraps cognito-local's router: bridged targets get their handler, the others go straight through. */
export function bridgeRouter (router: Router, deps: BridgeDeps): Router {
  const bridges = new Map(Object.entries(createBridges(deps, router))) // a Map: no 'constructor' or '__proto__' targets
  return (target) => {
    const next = router(target)
    const bridge = bridges.get(target)
    if (bridge !== undefined) return (ctx, req) => bridge(ctx, req ?? {}, next)
    return next
  }
}

function createBridges ({ services, tokens }: BridgeDeps, targets: Router): Record<string, Handler> {
  const { cognito } = services
  const poolOfClient = (ctx: Context, clientId: unknown) => cognito.getUserPoolForClientId(ctx, String(clientId))
  const poolById = (ctx: Context, poolId: unknown) => cognito.getUserPool(ctx, String(poolId))
  const now = () => services.clock.get().getTime()

  // cognito-local hands out a random Session with each challenge and never looks at it again.
  // AWS ties a session to its user and challenge, lets it answer once, and lets it expire.
  const challengeSessions = new Map<string, HeldChallenge>()

  function issueSession (pool: UserPoolService, username: string, challenge: string, verified = false): string {
    for (const [id, held] of challengeSessions) if (held.expires <= now()) challengeSessions.delete(id)
    const id = randomBytes(96).toString('base64')
    challengeSessions.set(id, { poolId: pool.options.Id, username, challenge, expires: now() + CHALLENGE_SESSION_MS, verified })
    return id
  }

  /** Spends a challenge session: whatever the answer turns out to be, the session is used. */
  function spendSession (session: unknown, challenge: string, user?: User | null): HeldChallenge {
    if (typeof session !== 'string' || session === '') throw new InvalidParameterError('Missing required parameter Session')
    const held = challengeSessions.get(session)
    challengeSessions.delete(session)
    if (held === undefined) throw new NotAuthorizedError('Invalid session for the user, session can only be used once.')
    if (held.expires <= now()) throw new NotAuthorizedError('Invalid session for the user, session is expired.')
    if (held.challenge !== challenge || (user !== undefined && held.username !== user?.Username)) throw new NotAuthorizedError('Invalid session for the user.')
    return held
  }

  /** A pool that requires MFA asks a user who has none to set up an authenticator (MFA_SETUP); cognito-local refuses them. */
  const mustSetUpMfa = (pool: UserPoolService, user: User) => pool.options.MfaConfiguration === 'ON' && enabledMfa(user).length === 0

  function mfaSetupChallenge (pool: UserPoolService, user: User) {
    const canSetUp = pool.options.SoftwareTokenMfaConfiguration?.Enabled === true ? ['SOFTWARE_TOKEN_MFA'] : []
    return {
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { USER_ID_FOR_SRP: user.Username, MFAS_CAN_SETUP: JSON.stringify(canSetUp) },
      Session: issueSession(pool, user.Username, 'MFA_SETUP')
    }
  }

  /**
   * A challenge as AWS hands it out: with a session the bridge can check, the texted number
   * masked, and the preferred method asked for at once where cognito-local would let the user
   * choose. Tokens pass through.
   */
  async function asChallenge (ctx: Context, pool: UserPoolService, clientId: unknown, res: any): Promise<any> {
    if (res?.ChallengeName === undefined) return completeAuthenticationResult(res)
    const user = await pool.getUserByUsername(ctx, String(res.ChallengeParameters?.USER_ID_FOR_SRP))
    if (user === null) throw new NotAuthorizedError(INCORRECT)
    let out = res
    const preferred = user.PreferredMfaSetting as MfaMethod | undefined
    if (out.ChallengeName === 'SELECT_MFA_TYPE' && preferred !== undefined && enabledMfa(user).includes(preferred)) {
      out = await targets('RespondToAuthChallenge')(ctx, {
        ClientId: clientId, ChallengeName: 'SELECT_MFA_TYPE', Session: 'preferred', ChallengeResponses: { USERNAME: user.Username, ANSWER: preferred }
      })
    }
    const parameters = { ...out.ChallengeParameters }
    if (typeof parameters.CODE_DELIVERY_DESTINATION === 'string') parameters.CODE_DELIVERY_DESTINATION = maskDestination(parameters.CODE_DELIVERY_DESTINATION)
    return { ChallengeName: out.ChallengeName, ChallengeParameters: parameters, Session: issueSession(pool, user.Username, out.ChallengeName) }
  }

  /** The tokens of a finished sign-in (MFA_SETUP, which cognito-local does not know). */
  async function signedIn (ctx: Context, pool: UserPoolService, user: User, clientId: unknown) {
    const client = await cognito.getAppClient(ctx, String(clientId))
    if (client === null) throw new NotAuthorizedError()
    const groups = await pool.listUserGroupMembership(ctx, user)
    const result = await services.tokenGenerator.generate(ctx, user, groups, client, undefined, 'Authentication')
    await pool.storeRefreshToken(ctx, result.RefreshToken, user)
    return completeAuthenticationResult({ ChallengeParameters: {}, AuthenticationResult: result })
  }

  /**
   * SetUserMFAPreference and AdminSetUserMFAPreference as AWS does them: a setting left out is
   * left alone, SMS needs a phone number, TOTP a verified authenticator; SMS also sets the
   * MFAOptions cognito-local looks for before it texts a code.
   */
  async function setMfaPreference (ctx: Context, pool: UserPoolService, user: User, req: { SMSMfaSettings?: MfaSettings, SoftwareTokenMfaSettings?: MfaSettings }) {
    const methods = new Set(enabledMfa(user))
    let preferred = user.PreferredMfaSetting
    const apply = (method: MfaMethod, settings: MfaSettings | undefined) => {
      if (settings === undefined) return
      if (settings.Enabled === true) {
        if (method === 'SMS_MFA' && attributeValue('phone_number', user.Attributes) === undefined) {
          throw new InvalidParameterError('User does not have delivery config set to turn on SMS_MFA')
        }
        if (method === 'SOFTWARE_TOKEN_MFA' && user.SoftwareTokenMfaConfiguration?.Verified !== true) {
          throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the user.')
        }
        methods.add(method)
      }
      if (settings.Enabled === false) methods.delete(method)
      if (settings.PreferredMfa === true) {
        if (!methods.has(method)) throw new InvalidParameterError(`Cannot set ${method} as preferred: it is not enabled`)
        preferred = method
      } else if (preferred === method && (settings.PreferredMfa === false || !methods.has(method))) {
        preferred = undefined
      }
    }
    apply('SMS_MFA', req.SMSMfaSettings)
    apply('SOFTWARE_TOKEN_MFA', req.SoftwareTokenMfaSettings)
    await pool.saveUser(ctx, {
      ...user,
      UserMFASettingList: [...methods],
      PreferredMfaSetting: preferred,
      MFAOptions: methods.has('SMS_MFA') ? [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] : undefined,
      UserLastModifiedDate: services.clock.get()
    })
    return {}
  }

  /** The user who already has `email`, other than `user`: AWS keeps an email alias unique. */
  async function aliasOwner (ctx: Context, pool: UserPoolService, email: string, user: User): Promise<User | null> {
    const owner = await pool.getUserByUsername(ctx, email)
    return owner !== null && owner.Username !== user.Username ? owner : null
  }
  const aliasExists = () => new CognitoError('AliasExistsException', 'An account with the given email already exists.')

  /** Sends an email verification code to `email` (the current address, or a pending new one). */
  async function sendEmailCode (ctx: Context, pool: UserPoolService, user: User, email: string, source: 'UpdateUserAttribute' | 'VerifyUserAttribute', clientMetadata: unknown) {
    const code = services.otp()
    await pool.saveUser(ctx, { ...user, AttributeVerificationCode: code })
    const details = { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: email } as const
    await services.messages.deliver(ctx, source, null, pool.options.Id, user, code, clientMetadata as Record<string, string> | undefined, details)
    return { ...details, Destination: maskDestination(email) }
  }

  function enforcePasswordPolicy (pool: UserPoolService, password: unknown): void {
    if (typeof password !== 'string') return // a missing parameter is the target's to report
    const violation = passwordPolicyViolation(pool.options.Policies?.PasswordPolicy, password)
    if (violation !== undefined) throw new CognitoError('InvalidPasswordException', violation)
  }

  /** What AWS checks on an AccessToken before any user operation. */
  async function authorize (ctx: Context, token: unknown): Promise<{ claims: Claims, pool: UserPoolService, user: DevUser }> {
    const claims = tokens.read(token, 'access')
    if (claims === 'expired') throw new NotAuthorizedError('Access Token has expired')
    if (claims === undefined) throw new NotAuthorizedError('Invalid Access Token')
    const pool = await poolOfClient(ctx, claims.client_id)
    const user: DevUser | null = await pool.getUserByUsername(ctx, String(claims.sub))
    if (user === null) throw new NotAuthorizedError('User does not exist.')
    if (user.Enabled === false) throw new NotAuthorizedError('User is disabled.')
    if (user.RevokedOriginJtis?.includes(String(claims.origin_jti)) === true) throw new NotAuthorizedError('Access Token has been revoked')
    return { claims, pool, user }
  }

  /** Ends the sessions of these refresh tokens: the tokens stop refreshing, their access tokens stop working here. */
  async function revokeSessions (ctx: Context, pool: UserPoolService, user: DevUser, refreshTokens: string[]): Promise<void> {
    const origins = refreshTokens.map(t => tokens.read(t, 'refresh')).flatMap(c => typeof c === 'object' ? [String(c.origin_jti)] : [])
    await pool.saveUser(ctx, {
      ...user,
      RefreshTokens: (user.RefreshTokens ?? []).filter(t => !refreshTokens.includes(t)),
      RevokedOriginJtis: [...(user.RevokedOriginJtis ?? []), ...origins].slice(-100)
    } as DevUser)
  }

  /** AWS answers with TokenType and ExpiresIn; cognito-local leaves them out. */
  function completeAuthenticationResult (res: any): any {
    const access = res?.AuthenticationResult?.AccessToken
    if (typeof access !== 'string') return res
    const claims = tokens.read(access, 'access')
    const expiresIn = typeof claims === 'object' ? Number(claims.exp) - Number(claims.iat) : undefined
    return { ...res, AuthenticationResult: { ...res.AuthenticationResult, TokenType: 'Bearer', ExpiresIn: expiresIn } }
  }

  const withAccessToken: Handler = async (ctx, req, next) => {
    if (req.AccessToken !== undefined) await authorize(ctx, req.AccessToken)
    return next(ctx, req)
  }

  const bridges: Record<string, Handler> = {
    async SignUp (ctx, req, next) {
      enforcePasswordPolicy(await poolOfClient(ctx, req.ClientId), req.Password)
      const res = await next(ctx, req)
      return maskDelivery(res)
    },

    async InitiateAuth (ctx, req, next) {
      const pool = await poolOfClient(ctx, req.ClientId)
      const params = req.AuthParameters ?? {}
      if (req.AuthFlow === 'USER_PASSWORD_AUTH' && typeof params.USERNAME === 'string') {
        const user = await pool.getUserByUsername(ctx, params.USERNAME)
        if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.')
        // cognito-local asks for a new password without checking the temporary one: anyone could choose it.
        if (user?.UserStatus === 'FORCE_CHANGE_PASSWORD' && user.Password !== params.PASSWORD) throw new NotAuthorizedError(INCORRECT)
        if (user?.UserStatus === 'CONFIRMED' && user.Password === params.PASSWORD && mustSetUpMfa(pool, user)) return mfaSetupChallenge(pool, user)
        // cognito-local: wrong password → InvalidPasswordException, unknown user → 'User not authorized'
        const res = await next(ctx, req).catch(translate(['InvalidPasswordException', 'NotAuthorizedException'], () => new NotAuthorizedError(INCORRECT)))
        return await asChallenge(ctx, pool, req.ClientId, res)
      }
      if ((req.AuthFlow === 'REFRESH_TOKEN_AUTH' || req.AuthFlow === 'REFRESH_TOKEN') && typeof params.REFRESH_TOKEN === 'string') {
        const claims = tokens.read(params.REFRESH_TOKEN, 'refresh')
        if (claims === 'expired') throw new NotAuthorizedError('Refresh Token has expired')
        if (claims === undefined || claims.client_id !== req.ClientId) throw new NotAuthorizedError('Invalid Refresh Token')
        const user = await pool.getUserByRefreshToken(ctx, params.REFRESH_TOKEN)
        if (user === null) throw new NotAuthorizedError('Refresh Token has been revoked')
        if (user.Enabled === false) throw new NotAuthorizedError('User is disabled.')
        // The generator reads origin_jti and auth_time from here: the new tokens belong to the same session.
        const session = { originJti: String(claims.origin_jti), authTime: Number(claims.auth_time) }
        return completeAuthenticationResult(await tokens.session.run(session, () => next(ctx, req)))
      }
      return next(ctx, req)
    },

    async RespondToAuthChallenge (ctx, req, next) {
      const pool = await poolOfClient(ctx, req.ClientId)
      const name = String(req.ChallengeName)
      const newPassword = req.ChallengeResponses?.NEW_PASSWORD
      if (typeof req.Session !== 'string' || req.Session === '') throw new InvalidParameterError('Missing required parameter Session')
      // Answers refused for their form, before any secret is compared (a password the policy
      // refuses, a code that is not six digits), leave the session standing: they can be corrected.
      if (name === 'NEW_PASSWORD_REQUIRED') enforcePasswordPolicy(pool, newPassword)
      const code = name === 'SOFTWARE_TOKEN_MFA' ? req.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE : name === 'SMS_MFA' ? req.ChallengeResponses?.SMS_MFA_CODE : undefined
      if ((name === 'SOFTWARE_TOKEN_MFA' || name === 'SMS_MFA') && !/^\d{6}$/.test(String(code))) throw new CodeMismatchError()
      const user = await pool.getUserByUsername(ctx, String(req.ChallengeResponses?.USERNAME))
      const held = spendSession(req.Session, name, user)
      if (user === null || held.poolId !== pool.options.Id) throw new NotAuthorizedError('Invalid session for the user.')

      if (name === 'MFA_SETUP') {
        if (!held.verified) throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been verified.')
        return await signedIn(ctx, pool, user, req.ClientId)
      }
      // A wrong code spends the session as on AWS: the next answer is refused and the user signs in again.
      const res = await next(ctx, req)
      if (name === 'NEW_PASSWORD_REQUIRED') {
        // AWS goes on to the second factor after a new password; cognito-local hands out tokens at once.
        const updated = await pool.getUserByUsername(ctx, user.Username)
        if (updated !== null && mustSetUpMfa(pool, updated)) return mfaSetupChallenge(pool, updated)
        if (updated !== null && pool.options.MfaConfiguration !== 'OFF' && enabledMfa(updated).length > 0) {
          const mfa = await targets('InitiateAuth')(ctx, { ClientId: req.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: updated.Username, PASSWORD: newPassword } })
          return await asChallenge(ctx, pool, req.ClientId, mfa)
        }
      }
      if (res?.ChallengeName !== undefined) return await asChallenge(ctx, pool, req.ClientId, res)
      // cognito-local forgets to store the refresh token it issues here, so it would never refresh.
      // (Stored on the user as the answer left them: a new password is saved by then.)
      const refreshToken = res?.AuthenticationResult?.RefreshToken
      const answered = await pool.getUserByUsername(ctx, user.Username)
      if (typeof refreshToken === 'string' && answered !== null) await pool.storeRefreshToken(ctx, refreshToken, answered)
      return completeAuthenticationResult(res)
    },

    async AssociateSoftwareToken (ctx, req, next) {
      if (req.AccessToken !== undefined || typeof req.Session !== 'string') {
        if (req.AccessToken !== undefined) await authorize(ctx, req.AccessToken)
        return next(ctx, req)
      }
      // cognito-local takes only an access token; MFA_SETUP associates with the challenge session.
      const held = spendSession(req.Session, 'MFA_SETUP')
      const pool = await poolById(ctx, held.poolId)
      const user = await pool.getUserByUsername(ctx, held.username)
      if (user === null) throw new NotAuthorizedError('Invalid session for the user.')
      const secret = generateTotpSecret()
      await pool.saveUser(ctx, { ...user, SoftwareTokenMfaConfiguration: { Secret: secret, Verified: false } })
      return { SecretCode: secret, Session: issueSession(pool, user.Username, 'MFA_SETUP') }
    },

    async VerifySoftwareToken (ctx, req, next) {
      // AWS calls a wrong first code EnableSoftwareTokenMFAException, and a missing setup SoftwareTokenMFANotFoundException.
      const mismatch = () => new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')
      if (req.AccessToken !== undefined || typeof req.Session !== 'string') {
        if (req.AccessToken === undefined) return next(ctx, req)
        const { user } = await authorize(ctx, req.AccessToken)
        if (user.SoftwareTokenMfaConfiguration?.Secret === undefined) throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the user.')
        return next(ctx, req).catch(translate(['CodeMismatchException'], mismatch))
      }
      if (typeof req.UserCode !== 'string' || req.UserCode === '') throw new InvalidParameterError('Missing required parameter UserCode')
      const held = spendSession(req.Session, 'MFA_SETUP')
      const pool = await poolById(ctx, held.poolId)
      const user = await pool.getUserByUsername(ctx, held.username)
      const secret = user?.SoftwareTokenMfaConfiguration?.Secret
      if (user === null || secret === undefined) throw new NotAuthorizedError('Invalid session for the user.')
      if (!verifyTotp(secret, req.UserCode)) throw mismatch()
      const methods = new Set([...enabledMfa(user), 'SOFTWARE_TOKEN_MFA'])
      await pool.saveUser(ctx, {
        ...user,
        SoftwareTokenMfaConfiguration: { Secret: secret, Verified: true, FriendlyDeviceName: req.FriendlyDeviceName },
        UserMFASettingList: [...methods],
        PreferredMfaSetting: user.PreferredMfaSetting ?? 'SOFTWARE_TOKEN_MFA'
      })
      return { Status: 'SUCCESS', Session: issueSession(pool, user.Username, 'MFA_SETUP', true) }
    },

    async SetUserMFAPreference (ctx, req) {
      const { pool, user } = await authorize(ctx, req.AccessToken)
      return await setMfaPreference(ctx, pool, user, req)
    },

    async AdminSetUserMFAPreference (ctx, req) {
      const pool = await poolById(ctx, req.UserPoolId)
      const user = await pool.getUserByUsername(ctx, String(req.Username))
      if (user === null) throw new UserNotFoundError('User does not exist.')
      return await setMfaPreference(ctx, pool, user, req)
    },

    async UpdateUserAttributes (ctx, req, next) {
      const { pool, user } = await authorize(ctx, req.AccessToken)
      const attributes: Array<{ Name?: string, Value?: string }> = Array.isArray(req.UserAttributes) ? req.UserAttributes : []
      const email = attributes.find(a => a.Name === 'email')?.Value
      const current = attributeValue('email', user.Attributes)
      if (email === undefined || email.toLowerCase() === current?.toLowerCase()) return next(ctx, req)
      if (await aliasOwner(ctx, pool, email, user) !== null) throw aliasExists()
      if (pool.options.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate?.includes('email') !== true) return next(ctx, req)
      // The old address stays until the new one is verified, and the code goes to the new one
      // (cognito-local sends it to the old address).
      const others = attributes.filter(a => a.Name !== 'email' && a.Name !== 'email_verified')
      if (others.length > 0) await next(ctx, { ...req, UserAttributes: others })
      const updated = await pool.getUserByUsername(ctx, user.Username) ?? user
      const pending = { ...updated, UnverifiedAttributeChanges: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'false' }], UserLastModifiedDate: services.clock.get() }
      const delivery = await sendEmailCode(ctx, pool, pending, email, 'UpdateUserAttribute', req.ClientMetadata)
      return { CodeDeliveryDetailsList: [delivery] }
    },

    async VerifyUserAttribute (ctx, req, next) {
      const { pool, user } = await authorize(ctx, req.AccessToken)
      const pending = attributeValue('email', user.UnverifiedAttributeChanges)
      // The address may have been taken since the code was sent.
      if (req.AttributeName === 'email' && pending !== undefined && req.Code === user.AttributeVerificationCode && await aliasOwner(ctx, pool, pending, user) !== null) {
        throw aliasExists()
      }
      return next(ctx, req)
    },

    async GetUserAttributeVerificationCode (ctx, req, next) {
      const { pool, user } = await authorize(ctx, req.AccessToken)
      const pending = req.AttributeName === 'email' ? attributeValue('email', user.UnverifiedAttributeChanges) : undefined
      // A pending change is verified at its new address (cognito-local would send to the old one).
      if (pending !== undefined) return { CodeDeliveryDetails: await sendEmailCode(ctx, pool, user, pending, 'VerifyUserAttribute', req.ClientMetadata) }
      await next(ctx, req)
      const email = attributeValue('email', user.Attributes)
      return email === undefined ? {} : { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: maskDestination(email) } }
    },

    async ChangePassword (ctx, req, next) {
      const { pool } = await authorize(ctx, req.AccessToken)
      enforcePasswordPolicy(pool, req.ProposedPassword)
      return next(ctx, req).catch(translate(['InvalidPasswordException'], () => new NotAuthorizedError(INCORRECT)))
    },

    async ForgotPassword (ctx, req, next) {
      const res = await next(ctx, req).catch((err) => {
        // Unknown user: AWS pretends to have sent a code.
        if (err instanceof CognitoError && err.code === 'UserNotFoundException') return simulatedDelivery(req.Username)
        throw err
      })
      return maskDelivery(res)
    },

    async ConfirmSignUp (ctx, req, next) {
      const pool = await poolOfClient(ctx, req.ClientId)
      // AWS refuses to confirm a confirmed account whatever the code; cognito-local says the code expired.
      const before = await pool.getUserByUsername(ctx, String(req.Username))
      if (before?.UserStatus === 'CONFIRMED') throw new NotAuthorizedError('User cannot be confirmed. Current status is CONFIRMED')
      const res = await next(ctx, req)
      // The code went to the auto-verified email, so AWS marks it verified; cognito-local does not.
      const user = await pool.getUserByUsername(ctx, String(req.Username))
      if (user !== null && pool.options.AutoVerifiedAttributes?.includes('email') === true && attributeValue('email', user.Attributes) !== undefined) {
        await pool.saveUser(ctx, { ...user, Attributes: attributesAppend(user.Attributes, { Name: 'email_verified', Value: 'true' }) })
      }
      return res
    },

    async ConfirmForgotPassword (ctx, req, next) {
      enforcePasswordPolicy(await poolOfClient(ctx, req.ClientId), req.Password)
      return next(ctx, req).catch(translate(['UserNotFoundException'], () => new CodeMismatchError()))
    },

    async ResendConfirmationCode (ctx, req) {
      if (typeof req.Username !== 'string') throw new InvalidParameterError('Missing required parameter Username')
      const pool = await poolOfClient(ctx, req.ClientId)
      const user = await pool.getUserByUsername(ctx, req.Username)
      if (user === null) return simulatedDelivery(req.Username)
      if (user.UserStatus === 'CONFIRMED') throw new InvalidParameterError('User is already confirmed.')
      const delivery = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user)
      if (delivery === null) throw new InvalidParameterError('User has no attribute matching desired auto verified attributes')
      const code = services.otp()
      await pool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: services.clock.get() })
      await services.messages.deliver(ctx, 'ResendCode', req.ClientId, pool.options.Id, user, code, req.ClientMetadata, delivery)
      return maskDelivery({ CodeDeliveryDetails: delivery })
    },

    async GlobalSignOut (ctx, req) {
      const { pool, user } = await authorize(ctx, req.AccessToken)
      await revokeSessions(ctx, pool, user, user.RefreshTokens ?? [])
      return {}
    },

    async AdminUserGlobalSignOut (ctx, req) {
      const pool = await poolById(ctx, req.UserPoolId)
      const user = await pool.getUserByUsername(ctx, String(req.Username))
      if (user === null) throw new UserNotFoundError('User does not exist.')
      await revokeSessions(ctx, pool, user, user.RefreshTokens ?? [])
      return {}
    },

    async RevokeToken (ctx, req, next) {
      const pool = await poolOfClient(ctx, req.ClientId)
      const user = typeof req.Token === 'string' ? await pool.getUserByRefreshToken(ctx, req.Token) : null
      if (user === null) return next(ctx, req) // cognito-local's answer for a token it does not know
      await revokeSessions(ctx, pool, user, [req.Token])
      return {}
    },

    async AdminSetUserPassword (ctx, req, next) {
      enforcePasswordPolicy(await poolById(ctx, req.UserPoolId), req.Password)
      return next(ctx, req)
    },

    async AdminCreateUser (ctx, req, next) {
      const pool = await poolById(ctx, req.UserPoolId)
      // Without one, AWS makes up a temporary password that meets the policy; cognito-local's
      // six random characters may not.
      const temporary = req.TemporaryPassword ?? temporaryPassword(pool.options.Policies?.PasswordPolicy)
      enforcePasswordPolicy(pool, temporary)
      return next(ctx, { ...req, TemporaryPassword: temporary })
    },

    async AdminListGroupsForUser (ctx, req, next) {
      // cognito-local looks the user up by email but then matches group members by that email,
      // where it keeps usernames: a user named by their email is in no group.
      const pool = await poolById(ctx, req.UserPoolId)
      const user = await pool.getUserByUsername(ctx, String(req.Username))
      return next(ctx, user === null ? req : { ...req, Username: user.Username })
    },

    async DescribeUserPool (ctx, req, next) {
      // cognito-local stores UserAttributeUpdateSettings (and acts on it) but leaves it out of the answer.
      const res = await next(ctx, req)
      const pool = await poolById(ctx, req.UserPoolId)
      return { ...res, UserPool: { ...res.UserPool, UserAttributeUpdateSettings: pool.options.UserAttributeUpdateSettings } }
    }
  }
  for (const target of ACCESS_TOKEN_TARGETS) bridges[target] = withAccessToken
  return bridges
}

function simulatedDelivery (username: unknown) {
  return { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: maskDestination(String(username ?? '')) } }
}

function maskDelivery (res: any): any {
  const details = res?.CodeDeliveryDetails
  if (typeof details?.Destination !== 'string' || details.Destination.includes('***')) return res
  return { ...res, CodeDeliveryDetails: { ...details, Destination: maskDestination(details.Destination) } }
}

// Bridges between cognito-local and real Cognito: for each target where the emulator is
// missing or differs from AWS (app client with PreventUserExistenceErrors: ENABLED), a small
// handler that runs before and/or after cognito-local's own. Errors are cognito-local's
// CognitoError, so its HTTP layer answers 400 with the right `__type`, as AWS does.
import { CodeMismatchError, CognitoError, InvalidParameterError, NotAuthorizedError, UserNotFoundError } from 'cognito-local/lib/errors.js'
import type { Route, Router } from 'cognito-local/lib/server/Router.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod.js'
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
// (ChangePassword and GlobalSignOut check theirs in their own handler.)
const ACCESS_TOKEN_TARGETS = new Set([
  'GetUser', 'UpdateUserAttributes', 'VerifyUserAttribute', 'GetUserAttributeVerificationCode', 'DeleteUser',
  'AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference'
])

/** Wraps cognito-local's router: bridged targets get their handler, the others go straight through. */
export function bridgeRouter (router: Router, deps: BridgeDeps): Router {
  const bridges = new Map(Object.entries(createBridges(deps))) // a Map: no 'constructor' or '__proto__' targets
  return (target) => {
    const next = router(target)
    const bridge = bridges.get(target)
    if (bridge !== undefined) return (ctx, req) => bridge(ctx, req ?? {}, next)
    return next
  }
}

function createBridges ({ services, tokens }: BridgeDeps): Record<string, Handler> {
  const { cognito } = services
  const poolOfClient = (ctx: Context, clientId: unknown) => cognito.getUserPoolForClientId(ctx, String(clientId))
  const poolById = (ctx: Context, poolId: unknown) => cognito.getUserPool(ctx, String(poolId))

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
        // cognito-local: wrong password → InvalidPasswordException, unknown user → 'User not authorized'
        const res = await next(ctx, req).catch(translate(['InvalidPasswordException', 'NotAuthorizedException'], () => new NotAuthorizedError(INCORRECT)))
        return completeAuthenticationResult(res)
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
      if (req.ChallengeName === 'NEW_PASSWORD_REQUIRED') enforcePasswordPolicy(pool, req.ChallengeResponses?.NEW_PASSWORD)
      const res = await next(ctx, req)
      // cognito-local forgets to store the refresh token it issues here, so it would never refresh.
      const refreshToken = res?.AuthenticationResult?.RefreshToken
      const user = await pool.getUserByUsername(ctx, String(req.ChallengeResponses?.USERNAME))
      if (typeof refreshToken === 'string' && user !== null) await pool.storeRefreshToken(ctx, refreshToken, user)
      return completeAuthenticationResult(res)
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
      enforcePasswordPolicy(await poolById(ctx, req.UserPoolId), req.TemporaryPassword)
      return next(ctx, req)
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

// The bridge between cognito-local and real Cognito (an app client with PreventUserExistenceErrors:
// ENABLED): the operations where the emulator is missing or differs from AWS, one file each in
// ./targets, routed here by their X-Amz-Target name. Every other operation is cognito-local's own.
// What each implements, and what it assumes where AWS does not say: docs/emulator.md.
import type { Router } from 'cognito-local/lib/server/Router.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import { ChallengeSessions } from './rules/challenge-sessions.ts'
import { PasskeyRegistrations } from './rules/passkey-registrations.ts'
import { checkSecretHash } from './rules/secret-hash.ts'
import type { WebAuthnOrigins } from './rules/passkeys.ts'
import type { Triggers } from './rules/triggers.ts'
import { AdminCreateUser } from './targets/AdminCreateUser.ts'
import { AdminLinkProviderForUser } from './targets/AdminLinkProviderForUser.ts'
import { AdminDisableUser } from './targets/AdminDisableUser.ts'
import { AdminListGroupsForUser } from './targets/AdminListGroupsForUser.ts'
import { AdminResetUserPassword } from './targets/AdminResetUserPassword.ts'
import { AdminSetUserMFAPreference } from './targets/AdminSetUserMFAPreference.ts'
import { AdminSetUserPassword } from './targets/AdminSetUserPassword.ts'
import { AdminUserGlobalSignOut } from './targets/AdminUserGlobalSignOut.ts'
import { AssociateSoftwareToken } from './targets/AssociateSoftwareToken.ts'
import { ChangePassword } from './targets/ChangePassword.ts'
import { CompleteWebAuthnRegistration } from './targets/CompleteWebAuthnRegistration.ts'
import { ConfirmForgotPassword } from './targets/ConfirmForgotPassword.ts'
import { ConfirmSignUp } from './targets/ConfirmSignUp.ts'
import { DeleteUser } from './targets/DeleteUser.ts'
import { DeleteWebAuthnCredential } from './targets/DeleteWebAuthnCredential.ts'
import { DescribeUserPool } from './targets/DescribeUserPool.ts'
import { ForgotPassword } from './targets/ForgotPassword.ts'
import { GetTokensFromRefreshToken } from './targets/GetTokensFromRefreshToken.ts'
import { GetUser } from './targets/GetUser.ts'
import { GetUserAttributeVerificationCode } from './targets/GetUserAttributeVerificationCode.ts'
import { GetUserAuthFactors } from './targets/GetUserAuthFactors.ts'
import { GetUserPoolMfaConfig } from './targets/GetUserPoolMfaConfig.ts'
import { GlobalSignOut } from './targets/GlobalSignOut.ts'
import { InitiateAuth } from './targets/InitiateAuth.ts'
import { ListWebAuthnCredentials } from './targets/ListWebAuthnCredentials.ts'
import { ListUsers } from './targets/ListUsers.ts'
import { ResendConfirmationCode } from './targets/ResendConfirmationCode.ts'
import { RespondToAuthChallenge } from './targets/RespondToAuthChallenge.ts'
import { RevokeToken } from './targets/RevokeToken.ts'
import { SetUserMFAPreference } from './targets/SetUserMFAPreference.ts'
import { SignUp } from './targets/SignUp.ts'
import { StartWebAuthnRegistration } from './targets/StartWebAuthnRegistration.ts'
import { AdminForgetDevice } from './targets/AdminForgetDevice.ts'
import { AdminGetDevice } from './targets/AdminGetDevice.ts'
import { AdminListDevices } from './targets/AdminListDevices.ts'
import { AdminUpdateDeviceStatus } from './targets/AdminUpdateDeviceStatus.ts'
import { ConfirmDevice } from './targets/ConfirmDevice.ts'
import { CreateUserPoolClient } from './targets/CreateUserPoolClient.ts'
import { DescribeUserPoolClient } from './targets/DescribeUserPoolClient.ts'
import { ForgetDevice } from './targets/ForgetDevice.ts'
import { GetDevice } from './targets/GetDevice.ts'
import { ListDevices } from './targets/ListDevices.ts'
import { UpdateDeviceStatus } from './targets/UpdateDeviceStatus.ts'
import { UpdateUserPoolClient } from './targets/UpdateUserPoolClient.ts'
import { SetUserPoolMfaConfig } from './targets/SetUserPoolMfaConfig.ts'
import { UpdateUserPool } from './targets/UpdateUserPool.ts'
import { CreateUserPool } from './targets/CreateUserPool.ts'
import { AdminUpdateUserAttributes } from './targets/AdminUpdateUserAttributes.ts'
import { AdminConfirmSignUp } from './targets/AdminConfirmSignUp.ts'
import { AddCustomAttributes } from './targets/AddCustomAttributes.ts'
import type { Target } from './targets/target.ts'
import { UpdateUserAttributes } from './targets/UpdateUserAttributes.ts'
import { VerifySoftwareToken } from './targets/VerifySoftwareToken.ts'
import { VerifyUserAttribute } from './targets/VerifyUserAttribute.ts'
import type { DevTokenGenerator } from './tokens.ts'

// `any`: each handler names its own request and response shapes; this table only routes JSON to them.
/** Our operations by X-Amz-Target name (a Map: no 'constructor' or '__proto__' targets). */
export const TARGETS: ReadonlyMap<string, Target<any, any>> = new Map(Object.entries({
  AddCustomAttributes,
  AdminConfirmSignUp,
  AdminCreateUser,
  AdminDisableUser,
  AdminForgetDevice,
  AdminGetDevice,
  AdminLinkProviderForUser,
  AdminListDevices,
  AdminListGroupsForUser,
  AdminResetUserPassword,
  AdminSetUserMFAPreference,
  AdminSetUserPassword,
  AdminUpdateDeviceStatus,
  AdminUpdateUserAttributes,
  AdminUserGlobalSignOut,
  AssociateSoftwareToken,
  ChangePassword,
  CompleteWebAuthnRegistration,
  ConfirmDevice,
  ConfirmForgotPassword,
  ConfirmSignUp,
  CreateUserPool,
  CreateUserPoolClient,
  DeleteUser,
  DeleteWebAuthnCredential,
  DescribeUserPool,
  DescribeUserPoolClient,
  ForgetDevice,
  ForgotPassword,
  GetDevice,
  GetTokensFromRefreshToken,
  GetUser,
  GetUserAttributeVerificationCode,
  GetUserAuthFactors,
  GetUserPoolMfaConfig,
  GlobalSignOut,
  InitiateAuth,
  ListDevices,
  ListUsers,
  ListWebAuthnCredentials,
  ResendConfirmationCode,
  RespondToAuthChallenge,
  RevokeToken,
  SetUserMFAPreference,
  SetUserPoolMfaConfig,
  SignUp,
  StartWebAuthnRegistration,
  UpdateDeviceStatus,
  UpdateUserAttributes,
  UpdateUserPool,
  UpdateUserPoolClient,
  VerifySoftwareToken,
  VerifyUserAttribute
}))

export interface BridgeDeps {
  services: Services
  tokens: DevTokenGenerator
  /** The origins passkey ceremonies may come from (Emulator.setWebAuthnOrigins). */
  origins: WebAuthnOrigins
  triggers: Triggers
  /** The time TOTP codes are checked at (EmulatorOptions.totpClock). */
  totpClock: Clock
}

/** Wraps cognito-local's router: our operations get their handler (with cognito-local's as `next`), the others go straight through. */
export function bridgeRouter (router: Router, { services, tokens, origins, triggers, totpClock }: BridgeDeps): Router {
  const sessions = new ChallengeSessions(services.clock)
  const registrations = new PasskeyRegistrations(services.clock, origins)
  return (operation) => {
    const next = router(operation)
    const target = TARGETS.get(operation)
    // SECRET_HASH first, as AWS checks it, for our operations and cognito-local's alike.
    const checked: typeof next = async (ctx, req) => { await checkSecretHash(operation, req, { ctx, services, tokens }); return await next(ctx, req) }
    if (target === undefined) return checked
    return async (ctx, req) => await checkSecretHash(operation, req, { ctx, services, tokens }).then(() => target(req ?? {}, {
      ctx,
      services,
      tokens,
      triggers,
      sessions,
      registrations,
      origins,
      totpClock,
      next: (input) => next(ctx, input),
      cognitoLocal: (other, input) => router(other)(ctx, input)
    }))
  }
}

// The emulator's pool and app client, provisioned at start (idempotently, in the data directory),
// and the app client's managed-login settings (OAuth flows, scopes, providers, redirect URLs).
import type { Router as TargetRouter } from 'cognito-local/lib/server/Router.js'
import type { CognitoService } from 'cognito-local/lib/services/cognitoService.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { PASSWORD_POLICY } from '../password-policy.ts'
import type { PoolOptions } from './rules/pools.ts'
import type { RefreshTokenRotation } from './rules/refresh-rotation.ts'
import { MANAGED_LOGIN_PROVIDERS } from './oauth/providers.ts'

const CLIENT_NAME = 'local-app'

/** The first factors of choice-based sign-in (USER_AUTH) the pool allows: all of them. */
const SignInPolicy = { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] }

/** Password-reset codes go to the verified email, as `npm run provision` makes the pool (Cognito's default without a setting prefers a verified phone number). */
const RECOVERY: Partial<PoolOptions> = { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } }

/** The pool, created on first start with a fixed, AWS-shaped id (CreateUserPool would pick a random one). */
export async function provisionPool (ctx: Context, cognito: CognitoService, router: TargetRouter, id: string, region: string): Promise<UserPoolService> {
  if (!(await cognito.listUserPools(ctx)).some(p => p.Id === id)) {
    const now = new Date()
    await cognito.createUserPool(ctx, {
      Id: id,
      Name: 'LocalPool1',
      Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
      CreationDate: now,
      LastModifiedDate: now,
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: { PasswordPolicy: PASSWORD_POLICY, SignInPolicy },
      ...RECOVERY,
      ...delivery(region)
    } as never)
    await router('SetUserPoolMfaConfig')(ctx, { UserPoolId: id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } })
    await router('CreateGroup')(ctx, { UserPoolId: id, GroupName: 'admin', Description: 'Administrators' })
  }
  const pool = await cognito.getUserPool(ctx, id)
  // A pool made by an earlier version gets the factors and delivery settings of this one.
  const options = pool.options as PoolOptions
  const policies = options.Policies as { SignInPolicy?: unknown } | undefined
  if (policies?.SignInPolicy === undefined || options.EmailMfaConfiguration === undefined || options.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER' || options.AccountRecoverySetting === undefined) {
    await pool.updateOptions(ctx, { ...options, ...RECOVERY, ...delivery(region), Policies: { ...policies, SignInPolicy } as never })
  }
  return pool
}

/**
 * How the emulator's own pool sends codes, as a pool set up with Amazon SES and SNS would: its
 * own email (so a custom message trigger may write the email), SMS, and email codes as a second
 * factor (SetUserPoolMfaConfig's EmailMfaConfiguration). The ARNs name nothing: codes go to the mailbox.
 */
const delivery = (region: string): Partial<PoolOptions> => ({
  EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: `arn:aws:ses:${region}:000000000000:identity/localhost` },
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/emulator-sms', ExternalId: 'emulator', SnsRegion: region },
  EmailMfaConfiguration: { Subject: 'Your sign-in code' }
})

/** The app client's id; its token lifetimes follow `ttl` even when the pool already exists. */
export async function provisionClient (ctx: Context, cognito: CognitoService, router: TargetRouter, poolId: string, ttl: number): Promise<string> {
  const settings = {
    UserPoolId: poolId,
    ClientName: CLIENT_NAME,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
    AccessTokenValidity: ttl,
    IdTokenValidity: ttl,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' }
  }
  const existing = (await cognito.listAppClients(ctx, poolId)).find(c => c.ClientName === CLIENT_NAME)
  if (existing === undefined) {
    const { UserPoolClient } = await router('CreateUserPoolClient')(ctx, { ...settings, GenerateSecret: false })
    return UserPoolClient.ClientId
  }
  if (existing.AccessTokenValidity !== ttl || existing.IdTokenValidity !== ttl || existing.ExplicitAuthFlows?.includes('ALLOW_USER_AUTH') !== true) {
    await router('UpdateUserPoolClient')(ctx, { ...settings, ClientId: existing.ClientId })
  }
  return existing.ClientId
}

/** Where the managed login may send the browser back to: the app's callback and sign-out URLs. */
export interface RedirectUrls {
  callbackUrls: string[]
  logoutUrls: string[]
}

/**
 * Sets the app client's managed-login settings: the authorization code grant, the scopes
 * openid, email, profile and aws.cognito.signin.user.admin, the DevIdP and the pool's own users,
 * and exactly these redirect URLs (cognito-local's UpdateUserPoolClient keeps what it is not given).
 */
export async function configureManagedLogin (ctx: Context, router: TargetRouter, poolId: string, clientId: string, urls: RedirectUrls): Promise<void> {
  await router('UpdateUserPoolClient')(ctx, {
    UserPoolId: poolId,
    ClientId: clientId,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    SupportedIdentityProviders: [...MANAGED_LOGIN_PROVIDERS.map(p => p.name), 'COGNITO'],
    CallbackURLs: urls.callbackUrls,
    LogoutURLs: urls.logoutUrls
  })
}

/**
 * The app client's refresh-token rotation, kept on its stored record (cognito-local's own
 * Create/UpdateUserPoolClient drop the setting; GetTokensFromRefreshToken reads it from there).
 * Rotation also takes REFRESH_TOKEN_AUTH from the client, as AWS requires.
 */
export async function setRefreshTokenRotation (ctx: Context, cognito: CognitoService, clientId: string, rotation: RefreshTokenRotation): Promise<void> {
  const client = await cognito.getAppClient(ctx, clientId)
  if (client === null) throw new Error(`the app client ${clientId} is missing`)
  const enabled = rotation.Feature === 'ENABLED'
  const flows = ['ALLOW_USER_PASSWORD_AUTH', ...(enabled ? [] : ['ALLOW_REFRESH_TOKEN_AUTH'])]
  const pool = await cognito.getUserPool(ctx, client.UserPoolId)
  await pool.saveAppClient(ctx, { ...client, ExplicitAuthFlows: [...new Set([...(client.ExplicitAuthFlows ?? []).filter((f) => f !== 'ALLOW_REFRESH_TOKEN_AUTH'), ...flows])], RefreshTokenRotation: rotation } as typeof client)
}

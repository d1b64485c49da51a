// `npm run provision`: creates a user pool and an app client with exactly the settings this
// server needs, and prints the environment lines that point the server at them; with
// --domain-prefix or --providers it also sets up federated sign-in (scripts/managed-login.ts),
// for the new pool or, with --user-pool-id and --client-id, for an existing one. AWS SDK v3;
// COGNITO_ENDPOINT sends it to a Cognito-compatible emulator instead. `--help` lists the options.
import '../src/node-version.ts'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
  type ExplicitAuthFlowsType,
  type SmsConfigurationType
} from '@aws-sdk/client-cognito-identity-provider'
import { PASSWORD_POLICY } from '../src/password-policy.ts'
import { cognitoClient, emulatorCredentials, loadDotEnv } from './admin.ts'
import { dryRun } from './dry-run.ts'
import { configureManagedLogin, managedLoginLines, OAUTH_SCOPES, type ManagedLoginSettings } from './managed-login.ts'
import { DEFAULT_AUTH_FLOWS, deviceConfiguration, isRememberDevices, parseAuthFlows, type RememberDevices } from './sign-in-options.ts'

export interface ProvisionOptions {
  /** The pool's and the app client's name. */
  name: string
  /** Days a refresh token lives: REFRESH_TOKEN_TTL must match it. */
  refreshTokenDays: number
  /** Give the app client a secret (the server then computes SECRET_HASH). */
  clientSecret: boolean
  /** OPTIONAL: each user chooses; ON: every user must set up a second factor (MFA_SETUP). */
  mfa: 'OPTIONAL' | 'ON'
  /** The group whose members may use the admin operations. */
  adminGroup: string
  /** An IAM role Cognito assumes to send text messages: SMS MFA is enabled with it, TOTP only without. */
  sms?: { snsCallerArn: string, externalId?: string }
  /** The passkey relying party: the host users reach the server at (PUBLIC_ORIGIN's). */
  relyingPartyId: string
  /**
   * A verified Amazon SES identity (its ARN) to send the pool's email with: Cognito sends email
   * codes for sign-in and email MFA only through SES, so those are enabled with it, not without.
   */
  sesSourceArn?: string
  /** The app client's ExplicitAuthFlows (default DEFAULT_AUTH_FLOWS). */
  authFlows?: ExplicitAuthFlowsType[]
  /** Whether the pool remembers devices (default off). */
  rememberDevices?: RememberDevices
}

/** The first factors of choice-based sign-in (USER_AUTH) a pool provisioned with `options` allows. */
export function firstFactors (options: Pick<ProvisionOptions, 'sms' | 'sesSourceArn'>): string[] {
  return ['PASSWORD', 'WEB_AUTHN', ...(options.sesSourceArn !== undefined ? ['EMAIL_OTP'] : []), ...(options.sms !== undefined ? ['SMS_OTP'] : [])]
}

export interface Provisioned {
  userPoolId: string
  clientId: string
  clientSecret?: string
}

export async function provision (cognito: CognitoIdentityProviderClient, options: ProvisionOptions): Promise<Provisioned> {
  const sms: SmsConfigurationType | undefined = options.sms === undefined ? undefined : { SnsCallerArn: options.sms.snsCallerArn, ExternalId: options.sms.externalId }
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({
    PoolName: options.name,
    // Email is the sign-in name, matched without regard to case, and verified by a code.
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    // A new email waits for its code; until then the old one stays the verified sign-in name.
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    // Choice-based sign-in: the first factors allowed (passkeys always; codes where they can be sent).
    Policies: { PasswordPolicy: PASSWORD_POLICY, SignInPolicy: { AllowedFirstAuthFactors: firstFactors(options) as never } },
    // Passkeys, passwordless codes and email MFA need the Essentials feature plan (or Plus).
    UserPoolTier: 'ESSENTIALS',
    ...(options.sesSourceArn !== undefined ? { EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: options.sesSourceArn } } : {}),
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    // MFA with TOTP is switched on below: CreateUserPool knows only SMS.
    MfaConfiguration: 'OFF',
    ...(sms !== undefined ? { SmsConfiguration: sms } : {}),
    // Remembered devices stand in for the second factor (MFA is on, below).
    ...(options.rememberDevices !== undefined && options.rememberDevices !== 'off' ? { DeviceConfiguration: deviceConfiguration(options.rememberDevices) } : {})
  }))
  const userPoolId = UserPool?.Id
  if (userPoolId === undefined) throw new Error('CreateUserPool answered without a pool id')

  await cognito.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: userPoolId,
    MfaConfiguration: options.mfa,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    ...(sms !== undefined ? { SmsMfaConfiguration: { SmsConfiguration: sms } } : {}),
    ...(options.sesSourceArn !== undefined ? { EmailMfaConfiguration: {} } : {}),
    // The passkey relying party; user verification (a PIN or biometrics) required, as a passkey replaces a password.
    WebAuthnConfiguration: { RelyingPartyId: options.relyingPartyId, UserVerification: 'required' }
  }))

  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId,
    ClientName: options.name,
    GenerateSecret: options.clientSecret,
    ExplicitAuthFlows: options.authFlows ?? DEFAULT_AUTH_FLOWS,
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    RefreshTokenValidity: options.refreshTokenDays,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    // Minutes a sign-in challenge can be answered in (the server's challenge cookie lives three).
    AuthSessionValidity: 3,
    // Users write only what the server lets them change, whatever else their tokens can reach.
    ReadAttributes: ['email', 'email_verified', 'name', 'phone_number', 'phone_number_verified'],
    WriteAttributes: ['email', 'name']
  }))
  const clientId = UserPoolClient?.ClientId
  if (clientId === undefined) throw new Error('CreateUserPoolClient answered without a client id')

  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: options.adminGroup, Description: 'May use the admin operations of the auth server' }))
  return { userPoolId, clientId, clientSecret: UserPoolClient?.ClientSecret }
}

/** The environment lines for the server. */
export function environmentLines (result: Provisioned, options: ProvisionOptions & { region: string, endpoint?: string }): string[] {
  return [
    `COGNITO_REGION=${options.region}`,
    `COGNITO_USER_POOL_ID=${result.userPoolId}`,
    `COGNITO_CLIENT_ID=${result.clientId}`,
    ...(result.clientSecret !== undefined ? [`COGNITO_CLIENT_SECRET=${result.clientSecret}`] : []),
    ...(options.endpoint !== undefined ? [`COGNITO_ENDPOINT=${options.endpoint}`] : []),
    `REFRESH_TOKEN_TTL=${options.refreshTokenDays}d`,
    `ADMIN_GROUP=${options.adminGroup}`
  ]
}

const USAGE = `usage: npm run provision -- [options]

  --name NAME               pool and app client name (default cognito-graphql-auth)
  --region REGION           default COGNITO_REGION, AWS_REGION
  --refresh-days DAYS       refresh token validity, and REFRESH_TOKEN_TTL (default 30)
  --client-secret           give the app client a secret
  --mfa OPTIONAL|ON         ON makes every user set up an authenticator (default OPTIONAL)
  --admin-group NAME        default ADMIN_GROUP, or admin
  --sms-role-arn ARN        IAM role for SNS: enables SMS MFA besides TOTP, and sign-in by texted code
  --sms-external-id ID
  --ses-source-arn ARN      a verified SES identity: enables sign-in by emailed code and email MFA
  --auth-flows LIST         the sign-in flows the app client allows, comma-separated: password, srp,
                            user-auth, custom (refresh is always added); default password,user-auth
  --remember-devices always|opt-in|off
                            remember every device that signs in, or those the user chooses; a
                            remembered device skips the second factor (default off)
  --dry-run                 print what it would create or change (every call, with its input), and do nothing
  -h, --help                this text

Federated sign-in (docs/federated-sign-in.md), for the new pool or an existing one:
  --domain-prefix PREFIX    create the managed-login domain PREFIX.auth.REGION.amazoncognito.com
                            (default COGNITO_DOMAIN_PREFIX; leave out when the pool has a domain)
  --providers LIST          identity providers the app client offers, comma-separated, as the pool
                            names them; they must exist in the pool (default OAUTH_PROVIDERS)
  --public-origin URL       where users reach the server (default PUBLIC_ORIGIN; passkeys: localhost):
                            the passkey relying party is its host, the callback URL
                            is URL/auth/oauth/callback, the sign-out URLs URL + each --logout-path
  --logout-path PATH        a path a sign-out may return to (repeatable; default /)
  --user-pool-id ID --client-id ID
                            configure this existing pool and app client instead of creating one

COGNITO_ENDPOINT sends the calls to a Cognito-compatible emulator. AWS credentials: the SDK's chain;
for the embedded emulator, the admin credentials in its EMULATOR_DATA_DIR (default .cognito-local).`

/** The CLI: provisions and prints the environment lines; returns the exit code. */
export async function runProvision (argv: string[], env: Record<string, string | undefined> = process.env, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        region: { type: 'string' },
        'refresh-days': { type: 'string' },
        'client-secret': { type: 'boolean' },
        mfa: { type: 'string' },
        'admin-group': { type: 'string' },
        'sms-role-arn': { type: 'string' },
        'sms-external-id': { type: 'string' },
        'ses-source-arn': { type: 'string' },
        'auth-flows': { type: 'string' },
        'remember-devices': { type: 'string' },
        'domain-prefix': { type: 'string' },
        providers: { type: 'string' },
        'public-origin': { type: 'string' },
        'logout-path': { type: 'string', multiple: true },
        'user-pool-id': { type: 'string' },
        'client-id': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    }).values
  } catch (err) {
    printError(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    print(USAGE)
    return 0
  }
  const region = values.region ?? env.COGNITO_REGION ?? env.AWS_REGION
  const refreshTokenDays = Number(values['refresh-days'] ?? 30)
  const mfa = (values.mfa ?? 'OPTIONAL').toUpperCase()
  if (region === undefined || !Number.isInteger(refreshTokenDays) || refreshTokenDays < 1 || (mfa !== 'OPTIONAL' && mfa !== 'ON')) {
    printError(`${region === undefined ? 'a region is needed (--region, COGNITO_REGION or AWS_REGION)' : 'invalid --refresh-days or --mfa'}\n\n${USAGE}`)
    return 2
  }
  let relyingPartyId: string
  try {
    relyingPartyId = new URL(values['public-origin'] ?? env.PUBLIC_ORIGIN ?? 'http://localhost:3000').hostname
  } catch {
    printError(`invalid --public-origin\n\n${USAGE}`)
    return 2
  }
  const authFlows = values['auth-flows'] === undefined ? undefined : parseAuthFlows(values['auth-flows'])
  const rememberDevices = (values['remember-devices'] ?? 'off').toLowerCase()
  if (typeof authFlows === 'string' || !isRememberDevices(rememberDevices)) {
    printError(`${typeof authFlows === 'string' ? authFlows : '--remember-devices: always, opt-in or off'}\n\n${USAGE}`)
    return 2
  }
  const options: ProvisionOptions = {
    name: values.name ?? 'cognito-graphql-auth',
    refreshTokenDays,
    clientSecret: values['client-secret'] === true,
    mfa,
    adminGroup: values['admin-group'] ?? env.ADMIN_GROUP ?? 'admin',
    ...(values['sms-role-arn'] !== undefined ? { sms: { snsCallerArn: values['sms-role-arn'], externalId: values['sms-external-id'] } } : {}),
    ...(values['ses-source-arn'] !== undefined ? { sesSourceArn: values['ses-source-arn'] } : {}),
    ...(authFlows !== undefined ? { authFlows } : {}),
    rememberDevices,
    relyingPartyId
  }
  const federated = federatedOptions(values, env)
  if (typeof federated === 'string') {
    printError(`${federated}\n\n${USAGE}`)
    return 2
  }
  const endpoint = env.COGNITO_ENDPOINT || undefined
  const cognito = cognitoClient({ region, endpoint, credentials: emulatorCredentials(endpoint, env) })
  // The Essentials plan is billed: a dry run prints every call that would create or change something, and sends none.
  if (values['dry-run'] === true) {
    print('# Dry run: nothing is created or changed. The calls it would make:')
    dryRun(cognito, print)
  }
  try {
    let result: Provisioned | undefined
    if (federated?.existing === undefined) {
      result = await provision(cognito, options)
      print(`# User pool ${result.userPoolId} and app client ${result.clientId}${options.sms === undefined ? ' (MFA: TOTP; add --sms-role-arn for SMS)' : ''}.`)
      print(`# Essentials feature plan; choice-based sign-in (ALLOW_USER_AUTH) with ${firstFactors(options).join(', ')}; passkeys for ${relyingPartyId}${options.sesSourceArn === undefined ? ' (add --ses-source-arn for emailed codes)' : ''}.`)
      print(`# App client flows: ${(options.authFlows ?? DEFAULT_AUTH_FLOWS).join(', ')}; remembered devices: ${rememberDevices}.`)
    }
    const lines = result === undefined ? [] : environmentLines(result, { ...options, region, endpoint })
    if (federated !== undefined) {
      const target = federated.existing ?? { userPoolId: (result as Provisioned).userPoolId, clientId: (result as Provisioned).clientId }
      const settings: ManagedLoginSettings = { ...federated.settings, ...target, region }
      const done = await configureManagedLogin(cognito, settings)
      if (done.domain !== undefined) print(`# Managed-login domain ${done.domain} created.`)
      print(`# App client ${target.clientId}: authorization code grant, scopes ${OAUTH_SCOPES.join(' ')}, callback URL ${done.callbackUrl},`)
      print(`#   sign-out URLs ${done.logoutUrls.join(' ')}, identity providers ${settings.providers.length > 0 ? settings.providers.join(', ') : 'none yet (add them, then run again with --providers)'}.`)
      lines.push(...managedLoginLines(done, settings))
    }
    print(values['dry-run'] === true ? '# The server\'s environment would be:' : '# The server\'s environment (the secret, if any, belongs in a secret store):')
    for (const line of lines) print(line)
    return 0
  } catch (err) {
    const e = err as Error
    printError(`provision failed: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`)
    return 1
  } finally {
    cognito.destroy()
  }
}

type Values = Record<string, string | boolean | string[] | undefined>

/**
 * The federated sign-in options: undefined when none is asked for, a message when they do not go
 * together, else the settings and, with --user-pool-id and --client-id, the existing pool.
 */
function federatedOptions (values: Values, env: Record<string, string | undefined>) {
  const text = (name: string) => typeof values[name] === 'string' ? values[name] : undefined
  const domainPrefix = text('domain-prefix') ?? (env.COGNITO_DOMAIN_PREFIX || undefined)
  const providerList = text('providers') ?? (env.OAUTH_PROVIDERS || undefined)
  const userPoolId = text('user-pool-id')
  const clientId = text('client-id')
  if (domainPrefix === undefined && providerList === undefined && userPoolId === undefined && clientId === undefined) return undefined
  if ((userPoolId === undefined) !== (clientId === undefined)) return '--user-pool-id and --client-id go together'
  const publicOrigin = text('public-origin') ?? (env.PUBLIC_ORIGIN || undefined)
  if (publicOrigin === undefined || !/^https?:\/\/[^/?#]+$/.test(publicOrigin)) return 'federated sign-in needs --public-origin (or PUBLIC_ORIGIN): an origin such as https://app.example.com, without a path'
  if (domainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix)) return '--domain-prefix: lowercase letters, digits and hyphens, not at either end (at most 63)'
  const logoutPaths = (values['logout-path'] as string[] | undefined) ?? ['/']
  if (logoutPaths.some((path) => !path.startsWith('/') || path.startsWith('//'))) return '--logout-path: a path of this origin, starting with a single /'
  const providers = (providerList ?? '').split(',').map((p) => p.trim()).filter(Boolean)
  return {
    settings: { publicOrigin, providers, logoutPaths, domainPrefix },
    existing: userPoolId === undefined || clientId === undefined ? undefined : { userPoolId, clientId }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv()
  process.exitCode = await runProvision(process.argv.slice(2))
}

// A user pool as CreateUserPool makes it, UpdateUserPool changes it and DescribeUserPool shows it:
// AWS's id form (so that tokens carry an issuer aws-jwt-verify accepts), the request's settings
// checked as AWS checks them, the schema with its custom attributes, and what cognito-local drops
// (DeletionProtection, UserPoolTier, the sign-in policy, the MFA factors of SetUserPoolMfaConfig).
import { randomInt } from 'node:crypto'
import type { CreateUserPoolRequest, SchemaAttributeType, UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { USER_POOL_AWS_DEFAULTS } from 'cognito-local/lib/services/cognitoService.js'
import type { UserPool } from 'cognito-local/lib/services/userPoolService.js'
import { limitExceeded } from './errors.ts'
import { TRIGGER_NAMES, type Triggers } from './triggers.ts'

/** The pool record the emulator keeps: cognito-local's, with what it has no field for. */
export type PoolOptions = UserPool & {
  DeletionProtection?: string
  UserPoolTier?: string
  EmailMfaConfiguration?: { Message?: string, Subject?: string }
  WebAuthnConfiguration?: { RelyingPartyId?: string, UserVerification?: string, FactorConfiguration?: string }
}

/** AWS's default password policy for a pool made without one. */
const DEFAULT_PASSWORD_POLICY = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 }
const MAX_CUSTOM_ATTRIBUTES = 50
const ID_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A new pool id of AWS's form: `<region>_` and nine letters and digits. */
export function newPoolId (region: string): string {
  let suffix = ''
  for (let i = 0; i < 9; i++) suffix += ID_CHARACTERS[randomInt(ID_CHARACTERS.length)] as string
  return `${region}_${suffix}`
}

const oneOf = (name: string, value: unknown, allowed: readonly string[]): void => {
  if (value !== undefined && !allowed.includes(String(value))) throw new InvalidParameterError(`${name} must be one of ${allowed.join(', ')}.`)
}
const listOf = (name: string, values: unknown, allowed: readonly string[]): void => {
  if (values === undefined) return
  if (!Array.isArray(values)) throw new InvalidParameterError(`${name} must be a list.`)
  for (const value of values) oneOf(`Each of ${name}`, value, allowed)
}

/** The password policy of a request (AWS's default without one), its bounds checked. */
function passwordPolicyOf (policies: CreateUserPoolRequest['Policies']): NonNullable<UserPool['Policies']> {
  const given = policies?.PasswordPolicy
  const policy = given === undefined ? DEFAULT_PASSWORD_POLICY : { TemporaryPasswordValidityDays: 7, ...given }
  const within = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw new InvalidParameterError(`PasswordPolicy.${name} must be between ${min} and ${max}.`)
  }
  within('MinimumLength', policy.MinimumLength, 6, 99)
  within('PasswordHistorySize', (policy as { PasswordHistorySize?: number }).PasswordHistorySize, 0, 24)
  within('TemporaryPasswordValidityDays', policy.TemporaryPasswordValidityDays, 0, 365)
  const signIn = (policies as { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } | undefined)?.SignInPolicy
  if (signIn !== undefined) {
    listOf('SignInPolicy.AllowedFirstAuthFactors', signIn.AllowedFirstAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'])
    if (signIn.AllowedFirstAuthFactors?.includes('PASSWORD') !== true) throw new InvalidParameterError('SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.')
  }
  return { PasswordPolicy: policy, ...(signIn === undefined ? {} : { SignInPolicy: signIn }) } as NonNullable<UserPool['Policies']>
}

/**
 * The pool's schema: the standard attributes (a request's entry for one overrides its
 * Required and Mutable), then each other entry as a custom attribute, `custom:<Name>`, or
 * `dev:custom:<Name>` when DeveloperOnlyAttribute. AWS's rules: at most 50 custom attributes,
 * names of 1 to 20 characters, none of them required.
 */
export function schemaOf (requested: SchemaAttributeType[] = []): SchemaAttributeType[] {
  const standard = (USER_POOL_AWS_DEFAULTS.SchemaAttributes ?? []) as SchemaAttributeType[]
  const names = new Set(standard.map((a) => a.Name))
  const byName = new Map(requested.map((a) => [a.Name, a]))
  const custom = requested.filter((a) => !names.has(a.Name))
  if (custom.length > MAX_CUSTOM_ATTRIBUTES) throw limitExceeded(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`)
  return [
    ...standard.map((a) => ({ ...a, ...pick(byName.get(a.Name), ['Required', 'Mutable']) })),
    ...custom.map((a) => {
      const name = String(a.Name ?? '')
      if (name.length < 1 || name.length > 20) throw new InvalidParameterError(`The custom attribute name ${name} must have 1 to 20 characters.`)
      if (a.Required === true) throw new InvalidParameterError('Required custom attributes are not supported currently.')
      const type = a.AttributeDataType ?? 'String'
      oneOf(`The type of ${name}`, type, ['String', 'Number', 'DateTime', 'Boolean'])
      return {
        Name: `${a.DeveloperOnlyAttribute === true ? 'dev:' : ''}custom:${name}`,
        AttributeDataType: type,
        DeveloperOnlyAttribute: a.DeveloperOnlyAttribute ?? false,
        Mutable: a.Mutable ?? true,
        Required: false,
        ...(type === 'String' ? { StringAttributeConstraints: a.StringAttributeConstraints ?? {} } : {}),
        ...(type === 'Number' ? { NumberAttributeConstraints: a.NumberAttributeConstraints ?? {} } : {})
      }
    })
  ]
}

function pick<T extends object, K extends keyof T> (value: T | undefined, keys: K[]): Partial<Pick<T, K>> {
  if (value === undefined) return {}
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Partial<Pick<T, K>>
}

/** The settings CreateUserPool and UpdateUserPool both take, checked. */
function mutableSettings (req: CreateUserPoolRequest | UpdateUserPoolRequest): Partial<PoolOptions> {
  listOf('AutoVerifiedAttributes', req.AutoVerifiedAttributes, ['email', 'phone_number'])
  oneOf('MfaConfiguration', req.MfaConfiguration, ['OFF', 'ON', 'OPTIONAL'])
  oneOf('DeletionProtection', req.DeletionProtection, ['ACTIVE', 'INACTIVE'])
  oneOf('UserPoolTier', req.UserPoolTier, ['LITE', 'ESSENTIALS', 'PLUS'])
  oneOf('EmailConfiguration.EmailSendingAccount', req.EmailConfiguration?.EmailSendingAccount, ['COGNITO_DEFAULT', 'DEVELOPER'])
  if (req.EmailConfiguration?.EmailSendingAccount === 'DEVELOPER' && req.EmailConfiguration.SourceArn === undefined) {
    throw new InvalidParameterError('EmailConfiguration.SourceArn is required when EmailSendingAccount is DEVELOPER.')
  }
  const verifyFirst = req.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []
  listOf('AttributesRequireVerificationBeforeUpdate', verifyFirst, ['email', 'phone_number'])
  if (verifyFirst.some((a) => req.AutoVerifiedAttributes?.includes(a) !== true)) {
    throw new InvalidParameterError('Attributes in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes.')
  }
  for (const recovery of req.AccountRecoverySetting?.RecoveryMechanisms ?? []) oneOf('RecoveryMechanisms.Name', recovery.Name, ['verified_email', 'verified_phone_number', 'admin_only'])
  return {
    Policies: passwordPolicyOf(req.Policies),
    LambdaConfig: req.LambdaConfig ?? {},
    AutoVerifiedAttributes: req.AutoVerifiedAttributes,
    VerificationMessageTemplate: req.VerificationMessageTemplate ?? { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
    EmailVerificationMessage: req.EmailVerificationMessage,
    EmailVerificationSubject: req.EmailVerificationSubject,
    SmsVerificationMessage: req.SmsVerificationMessage,
    SmsAuthenticationMessage: req.SmsAuthenticationMessage,
    MfaConfiguration: req.MfaConfiguration ?? 'OFF',
    DeviceConfiguration: req.DeviceConfiguration,
    EmailConfiguration: req.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    SmsConfiguration: req.SmsConfiguration,
    UserPoolTags: req.UserPoolTags,
    AdminCreateUserConfig: req.AdminCreateUserConfig ?? { AllowAdminCreateUserOnly: false },
    UserPoolAddOns: req.UserPoolAddOns,
    AccountRecoverySetting: req.AccountRecoverySetting,
    UserAttributeUpdateSettings: req.UserAttributeUpdateSettings,
    DeletionProtection: req.DeletionProtection ?? 'INACTIVE',
    UserPoolTier: req.UserPoolTier ?? 'ESSENTIALS'
  } as Partial<PoolOptions>
}

/** The pool CreateUserPool makes, with `id`, or InvalidParameterException as AWS refuses the request. */
export function newPoolOptions (req: CreateUserPoolRequest, id: string, now: Date): PoolOptions {
  if (typeof req.PoolName !== 'string' || req.PoolName.length < 1 || req.PoolName.length > 128) throw new InvalidParameterError('PoolName must have 1 to 128 characters.')
  if (req.UsernameAttributes !== undefined && req.AliasAttributes !== undefined) {
    throw new InvalidParameterError('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.')
  }
  listOf('UsernameAttributes', req.UsernameAttributes, ['email', 'phone_number'])
  listOf('AliasAttributes', req.AliasAttributes, ['email', 'phone_number', 'preferred_username'])
  const schema = schemaOf(req.Schema)
  if (req.AliasAttributes?.includes('preferred_username') === true && schema.some((a) => a.Name === 'preferred_username' && a.Required === true)) {
    throw new InvalidParameterError('preferred_username cannot be both an alias and a required attribute.')
  }
  const region = id.slice(0, id.indexOf('_'))
  return {
    ...mutableSettings(req),
    Id: id,
    Name: req.PoolName,
    Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
    CreationDate: now,
    LastModifiedDate: now,
    UsernameAttributes: req.UsernameAttributes,
    AliasAttributes: req.AliasAttributes,
    UsernameConfiguration: req.UsernameConfiguration,
    SchemaAttributes: schema
  } as PoolOptions
}

/**
 * The pool after UpdateUserPool: as AWS, every setting the request leaves out goes back to its
 * default; what cannot change after creation (the id, sign-in names, schema) and what other
 * operations set (SetUserPoolMfaConfig's factors, AddCustomAttributes' schema) stays.
 */
export function updatedPoolOptions (current: PoolOptions, req: UpdateUserPoolRequest, now: Date): PoolOptions {
  const settings = mutableSettings(req)
  // The sign-in policy is kept unless the request gives one (AWS resets it to PASSWORD; a pool's factors are set once here).
  const signIn = (current.Policies as { SignInPolicy?: unknown } | undefined)?.SignInPolicy
  const policies = { ...(signIn === undefined ? {} : { SignInPolicy: signIn }), ...settings.Policies }
  return { ...current, ...settings, Policies: policies, ...(req.PoolName === undefined ? {} : { Name: req.PoolName }), LastModifiedDate: now } as PoolOptions
}

/**
 * The pool as DescribeUserPool answers it: cognito-local's fields and ours, the estimated number
 * of users, and in LambdaConfig the triggers the emulator runs (EMULATOR_TRIGGERS), each as a
 * Lambda ARN of the pool's region (a team's tooling reads which triggers a pool has there).
 */
export function describedPool (options: PoolOptions, users: number, triggers: Triggers): UserPoolType {
  const region = options.Id.slice(0, options.Id.indexOf('_'))
  const lambdas = Object.fromEntries(triggers.names().map((name) => [TRIGGER_NAMES[name], `arn:aws:lambda:${region}:000000000000:function:emulator-${name}`]))
  return {
    Id: options.Id,
    Name: options.Name,
    Arn: options.Arn,
    CreationDate: options.CreationDate,
    LastModifiedDate: options.LastModifiedDate,
    Policies: shownPolicies(options.Policies),
    DeletionProtection: options.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: { ...options.LambdaConfig, ...lambdas },
    SchemaAttributes: options.SchemaAttributes,
    AutoVerifiedAttributes: options.AutoVerifiedAttributes,
    AliasAttributes: options.AliasAttributes,
    UsernameAttributes: options.UsernameAttributes,
    VerificationMessageTemplate: options.VerificationMessageTemplate,
    EmailVerificationMessage: options.EmailVerificationMessage,
    EmailVerificationSubject: options.EmailVerificationSubject,
    SmsVerificationMessage: options.SmsVerificationMessage,
    SmsAuthenticationMessage: options.SmsAuthenticationMessage,
    UserAttributeUpdateSettings: options.UserAttributeUpdateSettings,
    MfaConfiguration: options.MfaConfiguration,
    DeviceConfiguration: options.DeviceConfiguration,
    EstimatedNumberOfUsers: users,
    EmailConfiguration: options.EmailConfiguration,
    SmsConfiguration: options.SmsConfiguration,
    UserPoolTags: options.UserPoolTags,
    AdminCreateUserConfig: options.AdminCreateUserConfig,
    UserPoolAddOns: options.UserPoolAddOns,
    UsernameConfiguration: options.UsernameConfiguration,
    AccountRecoverySetting: options.AccountRecoverySetting,
    UserPoolTier: options.UserPoolTier ?? 'ESSENTIALS'
  } as UserPoolType
}

/** The policies as DescribeUserPool shows them: a PasswordHistorySize of 0 is left out, as AWS documents. */
function shownPolicies (policies: PoolOptions['Policies']): PoolOptions['Policies'] {
  const password = policies?.PasswordPolicy as { PasswordHistorySize?: number } | undefined
  if (password?.PasswordHistorySize !== 0) return policies
  const { PasswordHistorySize: _none, ...rest } = password
  return { ...policies, PasswordPolicy: rest }
}

// The fixes the doctor names, as commands to run: AWS CLI commands for the pool, the app client and
// IAM, and the app client's sign-in flows (which ones it allows, and the whole list it needs).
import { change, CHALLENGE_TRIGGERS, mfaSetting, passwordlessFactors, type Diagnosis, type Feature } from './feature.ts'
import type { Read } from './read-pool.ts'

/** A sign-in flow by InitiateAuth's name. */
export type Flow = 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH' | 'CUSTOM_AUTH' | 'REFRESH_TOKEN_AUTH' | 'USER_AUTH'

/** AWS: a client made without ExplicitAuthFlows allows SRP, custom challenges and refresh. */
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
/** The legacy names (no ALLOW_ prefix) as the ALLOW_ ones they stand for; a list cannot mix both. */
const LEGACY: Record<string, string[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
  CUSTOM_AUTH_FLOW_ONLY: ['ALLOW_CUSTOM_AUTH']
}

/** The client's flows with AWS's names, the legacy ones read as AWS reads them (SRP and refresh come with them unless custom-only). */
function clientFlows (d: Diagnosis): string[] {
  const given = d.facts.client?.ExplicitAuthFlows ?? []
  if (given.length === 0) return DEFAULT_FLOWS
  if (!given.every((flow) => flow in LEGACY)) return given
  const implied = given.includes('CUSTOM_AUTH_FLOW_ONLY') ? [] : ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
  return [...new Set([...given.flatMap((flow) => LEGACY[flow] ?? []), ...implied])]
}

/** Whether the app client lets InitiateAuth run `flow`. */
export const allows = (d: Diagnosis, flow: Flow): boolean => clientFlows(d).includes(`ALLOW_${flow}`)

/**
 * How the server proves passwords: `auto` takes USER_PASSWORD_AUTH where the client allows it,
 * else SRP; undefined when `auto` finds neither.
 */
export function passwordFlow (d: Diagnosis): 'password' | 'srp' | undefined {
  const chosen = d.config.passwordFlow
  if (chosen !== 'auto') return chosen
  if (allows(d, 'USER_PASSWORD_AUTH')) return 'password'
  return allows(d, 'USER_SRP_AUTH') ? 'srp' : undefined
}

/**
 * Every flow the server's features need of this client (with those it has): one list, so that
 * each fix that sets the flows sets all of them, and running one does not undo another.
 */
function neededFlows (d: Diagnosis): string[] {
  const flows = new Set(clientFlows(d))
  flows.add(passwordFlow(d) === 'srp' ? 'ALLOW_USER_SRP_AUTH' : 'ALLOW_USER_PASSWORD_AUTH')
  // A rotating client refuses REFRESH_TOKEN_AUTH; the server then refreshes with GetTokensFromRefreshToken.
  if (d.config.refreshTokenRotation) flows.delete('ALLOW_REFRESH_TOKEN_AUTH')
  else flows.add('ALLOW_REFRESH_TOKEN_AUTH')
  if (passwordlessFactors(d).length > 0) flows.add('ALLOW_USER_AUTH')
  const triggers = d.facts.pool?.LambdaConfig ?? {}
  if (CHALLENGE_TRIGGERS.every((name) => triggers[name] !== undefined)) flows.add('ALLOW_CUSTOM_AUTH')
  return [...flows]
}

/** The start of an AWS CLI command for the configured pool (and app client), in its region and at its endpoint. */
function awsCli (d: Diagnosis, verb: string, client = false): string {
  const { region, userPoolId, clientId, endpoint } = d.target
  return `aws cognito-idp ${verb} --region ${region}${endpoint === undefined ? '' : ` --endpoint-url ${endpoint}`} --user-pool-id ${userPoolId}${client ? ` --client-id ${clientId}` : ''}`
}

/** UpdateUserPoolClient and UpdateUserPool set every setting they are not given back to its default. */
const KEEP_CLIENT = ' (with the client\'s other settings: update-user-pool-client resets what it is not given; describe-user-pool-client shows them)'
const KEEP_MFA = ' (with the pool\'s other second factors: get-user-pool-mfa-config shows them)'
const KEEP_POOL = ' (with the pool\'s other settings: update-user-pool resets what it is not given; describe-user-pool shows them)'

/** The app client changed by `options` (AWS CLI options). */
export const clientUpdate = (d: Diagnosis, options: string): string => `\`${awsCli(d, 'update-user-pool-client', true)} ${options}\`${KEEP_CLIENT}`

/** The app client allowed every flow the server needs, `extra` options besides. */
export const flowsUpdate = (d: Diagnosis, extra = ''): string => clientUpdate(d, `--explicit-auth-flows ${neededFlows(d).join(' ')}${extra}`)

/** The pool changed by `options`. */
export const poolUpdate = (d: Diagnosis, options: string): string => `\`${awsCli(d, 'update-user-pool')} ${options}\`${KEEP_POOL}`

/** The pool's MFA and passkey settings changed by `options`; MFA stays as it is unless `mfa` says otherwise. */
export function mfaUpdate (d: Diagnosis, options: string, mfa?: string): string {
  const current = mfaSetting(d) ?? 'OPTIONAL'
  return `\`${awsCli(d, 'set-user-pool-mfa-config')} --mfa-configuration ${mfa ?? (current === 'OFF' ? 'OPTIONAL' : current)} ${options}\`${KEEP_MFA}`
}

/** Another CLI command on the pool. */
export const poolCommand = (d: Diagnosis, verb: string, options: string): string => `\`${awsCli(d, verb)} ${options}\``

/** The IAM actions of the server's own admin calls (docs/existing-pools.md's policy lists them with the doctor's reads). */
export const SERVER_ADMIN_ACTIONS = [
  'AdminGetUser', 'AdminDeleteUser', 'AdminUserGlobalSignOut', 'ListUsers', 'AdminListGroupsForUser', 'AdminDisableUser',
  'AdminEnableUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminResetUserPassword', 'GetUserPoolMfaConfig', 'DescribeUserPool',
  'DescribeUserPoolClient', 'AdminListDevices', 'AdminForgetDevice'
]

/**
 * How to let the credentials make `actions`: an IAM statement for the principal AWS named, or,
 * with no usable credentials, where the SDK looks for them.
 */
export function grant (d: Diagnosis, actions: readonly string[], read?: Read): string {
  const denial = read === undefined ? undefined : d.facts.denials.get(read)
  if (denial?.reason === 'no-credentials') {
    return d.target.endpoint !== undefined
      ? 'give the emulator\'s admin credentials: EMULATOR_DATA_DIR of the emulator (its admin-credentials.json), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
      : `give AWS credentials through the SDK's chain (AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance or task role) allowed ${actions.map((a) => `cognito-idp:${a}`).join(', ')}`
  }
  const resource = denial?.resource ?? d.facts.pool?.Arn ?? `arn:aws:cognito-idp:${d.target.region}:<account>:userpool/${d.target.userPoolId}`
  const statement = JSON.stringify({ Effect: 'Allow', Action: actions.map((a) => `cognito-idp:${a}`), Resource: resource })
  return `allow ${actions.join(', ')} to ${denial?.principal ?? 'the credentials\' IAM principal'}: add the IAM policy statement ${statement}`
}

/** Why a read could not be made, in words. */
function refusedBecause (d: Diagnosis, read: Read): string {
  switch (d.facts.denials.get(read)?.reason) {
    case 'no-credentials': return 'there are no usable admin credentials'
    case 'unsupported': return `the endpoint (COGNITO_ENDPOINT) does not implement ${read}`
    default: return `the credentials may not call ${read}`
  }
}

/**
 * The verdict of `name`, or, when a read it needs could not be made, a `change` that says which
 * verdict could not be made and how to let the credentials make the read.
 */
export function judged (d: Diagnosis, name: string, reads: readonly Read[], verdict: () => Feature): Feature {
  const read = reads.find((r) => d.facts.denials.has(r))
  if (read === undefined) return verdict()
  const fix = d.facts.denials.get(read)?.reason === 'unsupported' ? `none from here: check this feature against AWS, where ${read} exists` : grant(d, [read], read)
  return change(name, `not judged: ${refusedBecause(d, read)}`, fix)
}

/**
 * Sign-up and the admin operations need the server's account look-up (AdminGetUser): a `change`
 * naming `need` when the credentials may not make it, else undefined.
 */
export function lookupRefused (d: Diagnosis, name: string, need: string, actions: readonly string[]): Feature | undefined {
  if (d.facts.adminLookup === true) return undefined
  const reason = d.facts.denials.get('AdminGetUser')?.reason
  const why = reason === 'denied' ? 'the admin credentials may not call AdminGetUser' : reason === 'unsupported' ? 'the endpoint does not implement AdminGetUser' : 'no admin credentials'
  return change(name, `${why}: ${need}`, grant(d, actions, 'AdminGetUser'))
}

// App clients as AWS keeps them: the sign-in flows a client allows (ExplicitAuthFlows, AWS's
// default for a client made without), and the settings CreateUserPoolClient and
// UpdateUserPoolClient take, with AWS's defaults, units and limits, and a secret of AWS's shape.
import { randomInt } from 'node:crypto'
import type { CreateUserPoolClientRequest, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import { appClientToResponseObject } from 'cognito-local/lib/targets/responses.js'
import type { Bridge } from './bridge.ts'
import { rotationOf } from './refresh-rotation.ts'

/** The client record with the settings cognito-local does not keep. */
export type StoredClient = AppClient & Pick<UserPoolClientType, 'RefreshTokenRotation' | 'AuthSessionValidity'>

/** AWS: a client made without ExplicitAuthFlows allows SRP, custom challenges and refresh. */
const DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']
const FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH']
const LEGACY_FLOWS = ['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']

/**
 * What lets InitiateAuth run each flow, and AWS's refusal when the client does not allow it. A
 * client with the legacy names (no ALLOW_ prefix) allows SRP and refresh unless it is
 * CUSTOM_AUTH_FLOW_ONLY, as AWS's legacy settings did.
 */
const GATES: Record<string, { allow: string, legacy: (flows: string[]) => boolean, refusal: string }> = {
  USER_PASSWORD_AUTH: { allow: 'ALLOW_USER_PASSWORD_AUTH', legacy: (f) => f.includes('USER_PASSWORD_AUTH'), refusal: 'USER_PASSWORD_AUTH flow not enabled for this client' },
  USER_SRP_AUTH: { allow: 'ALLOW_USER_SRP_AUTH', legacy: (f) => !f.includes('CUSTOM_AUTH_FLOW_ONLY'), refusal: 'USER_SRP_AUTH is not enabled for the client.' },
  CUSTOM_AUTH: { allow: 'ALLOW_CUSTOM_AUTH', legacy: (f) => f.includes('CUSTOM_AUTH_FLOW_ONLY'), refusal: 'CUSTOM_AUTH flow not enabled for this client' },
  REFRESH_TOKEN_AUTH: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', legacy: () => true, refusal: 'REFRESH_TOKEN_AUTH flow not enabled for this client' },
  REFRESH_TOKEN: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', legacy: () => true, refusal: 'REFRESH_TOKEN_AUTH flow not enabled for this client' },
  USER_AUTH: { allow: 'ALLOW_USER_AUTH', legacy: () => false, refusal: 'USER_AUTH flow not enabled for this client' }
}

/**
 * Refuses a flow the app client does not allow, as AWS does (InvalidParameterException with its
 * message). A client that rotates refresh tokens leaves REFRESH_TOKEN_AUTH to the flow itself,
 * which refuses it its own way (targets/auth-flows/refresh-token-auth.ts).
 */
export async function allowFlow ({ ctx, services }: Pick<Bridge, 'ctx' | 'services'>, clientId: unknown, flow: unknown): Promise<void> {
  const gate = GATES[String(flow)]
  const client = await services.cognito.getAppClient(ctx, String(clientId))
  if (gate === undefined || client === null) return
  const flows = client.ExplicitAuthFlows ?? DEFAULT_FLOWS
  if (gate.allow === 'ALLOW_REFRESH_TOKEN_AUTH' && rotationOf(client).enabled) return
  const legacy = flows.length > 0 && flows.every((f) => LEGACY_FLOWS.includes(f))
  if (!(legacy ? gate.legacy(flows) : flows.includes(gate.allow))) throw new InvalidParameterError(gate.refusal)
}

const MINUTE = 60
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: MINUTE, hours: 3600, days: 86400 }

/** AWS's limits on each validity, in seconds, and its default unit. */
const VALIDITIES = [
  { field: 'AccessTokenValidity', unit: 'AccessToken', defaultUnit: 'hours', min: 5 * MINUTE, max: 86400, range: '5 minutes and 1 day' },
  { field: 'IdTokenValidity', unit: 'IdToken', defaultUnit: 'hours', min: 5 * MINUTE, max: 86400, range: '5 minutes and 1 day' },
  { field: 'RefreshTokenValidity', unit: 'RefreshToken', defaultUnit: 'days', min: 60 * MINUTE, max: 3650 * 86400, range: '60 minutes and 10 years' }
] as const

/** `seconds` in `unit`, when a whole number of them (else left out: the tokens then get AWS's default). */
function inUnit (seconds: number, unit: string | undefined): number | undefined {
  const value = seconds / (UNIT_SECONDS[unit ?? ''] ?? NaN)
  return Number.isInteger(value) ? value : undefined
}

/** The settings a Create or Update request sets, as stored: unknown flows refused, validities within AWS's limits, AWS's defaults where left out. */
export function clientSettings (req: CreateUserPoolClientRequest): Partial<StoredClient> {
  const flows = req.ExplicitAuthFlows ?? DEFAULT_FLOWS
  const unknown = flows.filter((f) => !FLOWS.includes(f) && !LEGACY_FLOWS.includes(f))
  if (unknown.length > 0) throw new InvalidParameterError(`ExplicitAuthFlows: ${unknown.join(', ')} is not an auth flow`)
  // Assumed message: AWS refuses a list that mixes the legacy names with the ALLOW_ ones.
  if (flows.some((f) => LEGACY_FLOWS.includes(f)) && flows.some((f) => FLOWS.includes(f))) throw new InvalidParameterError('ExplicitAuthFlows cannot mix legacy and ALLOW_ values')
  const units: Record<string, string> = {}
  for (const { field, unit, defaultUnit, min, max, range } of VALIDITIES) {
    units[unit] = req.TokenValidityUnits?.[unit] ?? defaultUnit
    const value = req[field]
    if (value === undefined) continue
    const seconds = value * (UNIT_SECONDS[units[unit]] ?? NaN)
    // Assumed message (AWS documents the limits).
    if (!Number.isInteger(value) || !(seconds >= min && seconds <= max)) throw new InvalidParameterError(`${field} must be between ${range}`)
  }
  const session = req.AuthSessionValidity
  if (session !== undefined && !(Number.isInteger(session) && session >= 3 && session <= 15)) throw new InvalidParameterError('AuthSessionValidity must be between 3 and 15 minutes')
  const { UserPoolId: _pool, ClientName: _name, GenerateSecret: _secret, ...settings } = req
  return {
    ...settings,
    ExplicitAuthFlows: flows,
    // AWS's defaults: tokens of an hour, refresh tokens of 30 days, revocation on, three-minute sessions.
    AccessTokenValidity: req.AccessTokenValidity ?? inUnit(3600, units.AccessToken),
    IdTokenValidity: req.IdTokenValidity ?? inUnit(3600, units.IdToken),
    RefreshTokenValidity: req.RefreshTokenValidity ?? inUnit(30 * 86400, units.RefreshToken),
    TokenValidityUnits: units as AppClient['TokenValidityUnits'],
    EnableTokenRevocation: req.EnableTokenRevocation ?? true,
    AuthSessionValidity: session ?? 3
  } as Partial<StoredClient>
}

/** A client secret of AWS's shape: 51 lowercase letters and digits. */
export function newClientSecret (): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from({ length: 51 }, () => alphabet[randomInt(alphabet.length)]).join('')
}

/** The client as DescribeUserPoolClient answers it: cognito-local's fields and the ones it does not keep. */
export const clientResponse = (client: StoredClient): UserPoolClientType => ({
  ...appClientToResponseObject(client) as UserPoolClientType,
  ...(client.RefreshTokenRotation === undefined ? {} : { RefreshTokenRotation: client.RefreshTokenRotation }),
  ...(client.AuthSessionValidity === undefined ? {} : { AuthSessionValidity: client.AuthSessionValidity })
})

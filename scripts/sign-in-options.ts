// The sign-in options of `npm run provision`: which flows the app client allows (--auth-flows) and
// whether the pool remembers devices (--remember-devices), as Cognito's settings.
import type { DeviceConfigurationType, ExplicitAuthFlowsType } from '@aws-sdk/client-cognito-identity-provider'

/** The flows by the names --auth-flows takes (AWS's ALLOW_… names are taken too). */
const FLOW_NAMES: Record<string, ExplicitAuthFlowsType> = {
  password: 'ALLOW_USER_PASSWORD_AUTH',
  srp: 'ALLOW_USER_SRP_AUTH',
  'user-auth': 'ALLOW_USER_AUTH',
  custom: 'ALLOW_CUSTOM_AUTH',
  refresh: 'ALLOW_REFRESH_TOKEN_AUTH'
}

/** Today's client: password sign-in, choice-based sign-in, refresh. */
export const DEFAULT_AUTH_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']

/**
 * The client's ExplicitAuthFlows from a comma-separated list (`password,srp,user-auth,custom`, or
 * AWS's names); refresh is always added (the server refreshes sessions). A message when the list
 * names an unknown flow or no way to sign in with a password or a choice.
 */
export function parseAuthFlows (list: string): ExplicitAuthFlowsType[] | string {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean)
  const flows: ExplicitAuthFlowsType[] = []
  for (const name of names) {
    const flow = FLOW_NAMES[name.toLowerCase()] ?? Object.values(FLOW_NAMES).find((f) => f === name.toUpperCase() || f === `ALLOW_${name.toUpperCase()}`)
    if (flow === undefined) return `--auth-flows: ${name} is not one of ${Object.keys(FLOW_NAMES).join(', ')}`
    flows.push(flow)
  }
  if (!flows.some((f) => f === 'ALLOW_USER_PASSWORD_AUTH' || f === 'ALLOW_USER_SRP_AUTH' || f === 'ALLOW_USER_AUTH')) return '--auth-flows: name at least one of password, srp, user-auth'
  return [...new Set([...flows, 'ALLOW_REFRESH_TOKEN_AUTH' as const])]
}

export type RememberDevices = 'always' | 'opt-in' | 'off'

export const isRememberDevices = (value: string): value is RememberDevices => ['always', 'opt-in', 'off'].includes(value)

/**
 * The pool's DeviceConfiguration: `always` remembers every device that signs in, `opt-in` only
 * those the user chooses; either way a remembered device stands in for the second factor
 * (ChallengeRequiredOnNewDevice). `off`: no device tracking.
 */
export function deviceConfiguration (remember: RememberDevices): DeviceConfigurationType | undefined {
  if (remember === 'off') return undefined
  return { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: remember === 'opt-in' }
}

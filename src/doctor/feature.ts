// The doctor's vocabulary: a feature's verdict, and what every verdict is made from (the server's
// configuration, where the pool is, and what was read of it), with the readings verdicts share.
import type { Config } from '../config.ts'
import type { PoolFacts } from './read-pool.ts'

/** `works`; `off`: the configuration or the pool leaves it out; `change`: configured but it will fail (`fix` says what to change). */
export type Status = 'works' | 'off' | 'change'

/** One feature's verdict, as `npm run doctor -- --json` prints it. */
export interface Feature {
  name: string
  status: Status
  detail: string
  /** The change to make: for `change`, what makes it work; for `off`, what turns it on (null when nothing can). */
  fix: string | null
}

/** The pool and app client the server is configured with. */
export interface DoctorTarget {
  region: string
  userPoolId: string
  clientId: string
  /** COGNITO_CLIENT_SECRET. */
  clientSecret?: string
  /** COGNITO_ENDPOINT (or the embedded emulator's). */
  endpoint?: string
  /** The embedded emulator of a running `npm start`: it brings its own managed login and identity providers. */
  embedded: boolean
}

/** Everything a verdict is made from. */
export interface Diagnosis {
  config: Config
  target: DoctorTarget
  facts: PoolFacts
}

export const works = (name: string, detail: string): Feature => ({ name, status: 'works', detail, fix: null })
export const off = (name: string, detail: string, fix: string | null = null): Feature => ({ name, status: 'off', detail, fix })
export const change = (name: string, detail: string, fix: string): Feature => ({ name, status: 'change', detail, fix })

/** The pool's sign-in names: `email`, `phone`, and `username` (with any aliases) when the username is free-form. */
export function signInNames (d: Diagnosis): string[] {
  const pool = d.facts.pool
  if (pool === undefined) return []
  const named = (attribute: string) => attribute === 'phone_number' ? 'phone' : attribute
  const usernames = pool.UsernameAttributes ?? []
  if (usernames.length > 0) return usernames.map(named)
  return ['username', ...(pool.AliasAttributes ?? []).map(named)]
}

/** The first factors of choice-based sign-in the pool allows (AWS: the password alone when it has no sign-in policy). */
export const firstFactors = (d: Diagnosis): string[] => d.facts.pool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD']

/** The passwordless first factors the pool allows: the reason for ALLOW_USER_AUTH. */
export const passwordlessFactors = (d: Diagnosis): string[] => firstFactors(d).filter((factor) => factor !== 'PASSWORD')

/** The pool's MFA setting (OFF, ON, OPTIONAL), from GetUserPoolMfaConfig or DescribeUserPool. */
export const mfaSetting = (d: Diagnosis): string | undefined => d.facts.mfa?.MfaConfiguration ?? d.facts.pool?.MfaConfiguration

/** Delivery settings (SES, SNS) are checked on AWS only: an emulator (COGNITO_ENDPOINT) delivers codes without them. */
export const onAws = (d: Diagnosis): boolean => d.target.endpoint === undefined

/** The three Lambda triggers a custom challenge runs on, by their LambdaConfig names. */
export const CHALLENGE_TRIGGERS = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse'] as const

/** `30d`, `12h`, `90m`, `45s`: seconds in the largest unit that divides them, as REFRESH_TOKEN_TTL is written. */
export function duration (seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}

// `npm run doctor`'s report: reads the configured pool and app client (read-only), makes every
// feature's verdict in the order docs/existing-pools.md lists them, and writes it as JSON or as one line per feature.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { Config } from '../config.ts'
import { adminVerdict } from './admin.ts'
import { attributesVerdict } from './attributes.ts'
import { federatedVerdicts } from './federated.ts'
import { mfaSetting, signInNames, type Diagnosis, type DoctorTarget, type Feature } from './feature.ts'
import { readPool } from './read-pool.ts'
import { secondFactorVerdicts } from './second-factors.ts'
import { customChallenge, signInVerdicts } from './sign-in.ts'
import { lifetimeVerdict, refreshVerdict } from './tokens.ts'

/** What `npm run doctor -- --json` prints. */
export interface Report {
  pool: {
    id: string
    /** How accounts are named: `email`, `phone`, `username` (and its aliases). */
    signInNames: string[]
    /** OFF, OPTIONAL or ON; null when it could not be read. */
    mfa: string | null
    /** LITE, ESSENTIALS or PLUS; null when the pool does not say. */
    tier: string | null
  }
  features: Feature[]
}

/** Every verdict, in the order docs/existing-pools.md lists them. */
export function verdicts (d: Diagnosis): Feature[] {
  return [
    ...signInVerdicts(d),
    ...secondFactorVerdicts(d),
    customChallenge(d),
    ...federatedVerdicts(d),
    refreshVerdict(d),
    adminVerdict(d),
    lifetimeVerdict(d),
    attributesVerdict(d)
  ]
}

/** Reads the pool and app client of `target` with `cognito` (only reads) and judges every feature; throws PoolUnreadable. */
export async function diagnose (cognito: CognitoIdentityProviderClient, config: Config, target: DoctorTarget): Promise<Report> {
  const facts = await readPool(cognito, target)
  const d: Diagnosis = { config, target, facts }
  return {
    pool: { id: target.userPoolId, signInNames: signInNames(d), mfa: mfaSetting(d) ?? null, tier: facts.pool?.UserPoolTier ?? null },
    features: verdicts(d)
  }
}

/** 1 when a feature needs a change, else 0. */
export const exitCodeOf = (report: Report): number => report.features.some((f) => f.status === 'change') ? 1 : 0

const MARKS = { works: 'works ', off: 'off   ', change: 'CHANGE' } as const

/** One readable line per feature (and its fix on the next, indented), after a line about the pool. */
export function formatText (report: Report): string {
  const { pool } = report
  const lines = [`user pool ${pool.id}: sign-in by ${pool.signInNames.join(', ') || '?'}, MFA ${pool.mfa ?? '?'}, feature plan ${pool.tier ?? '?'}`]
  const width = Math.max(...report.features.map((f) => f.name.length))
  for (const feature of report.features) {
    lines.push(`${MARKS[feature.status]}  ${feature.name.padEnd(width)}  ${feature.detail}`)
    if (feature.fix !== null) lines.push(`${' '.repeat(width + 10)}${feature.status === 'change' ? 'fix' : 'to turn on'}: ${feature.fix}`)
  }
  const changes = report.features.filter((f) => f.status === 'change').length
  lines.push(changes === 0 ? 'nothing needs a change' : `${changes} feature${changes === 1 ? '' : 's'} need${changes === 1 ? 's' : ''} a change`)
  return lines.join('\n')
}

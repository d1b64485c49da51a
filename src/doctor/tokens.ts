// The doctor's verdicts on the session's tokens: how a refresh reaches Cognito (REFRESH_TOKEN_AUTH,
// or GetTokensFromRefreshToken with rotation) and whether REFRESH_TOKEN_TTL matches how long the
// app client's refresh tokens live.
import { change, duration, off, works, type Diagnosis, type Feature } from './feature.ts'
import { allows, clientUpdate, flowsUpdate, judged } from './fixes.ts'

const SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 }

/** A token validity in seconds, in its unit (AWS's defaults: hours for access and id tokens, days for refresh). */
function lifetime (value: number | undefined, unit: string | undefined, fallback: { value: number, unit: string }): number {
  return (value ?? fallback.value) * (SECONDS[unit ?? fallback.unit] ?? 1)
}

/** How long the client's tokens live, in seconds. */
function lifetimes (d: Diagnosis): { access: number, id: number, refresh: number } {
  const client = d.facts.client
  const units = client?.TokenValidityUnits
  return {
    access: lifetime(client?.AccessTokenValidity, units?.AccessToken, { value: 1, unit: 'hours' }),
    id: lifetime(client?.IdTokenValidity, units?.IdToken, { value: 1, unit: 'hours' }),
    refresh: lifetime(client?.RefreshTokenValidity, units?.RefreshToken, { value: 30, unit: 'days' })
  }
}

const ROTATE = '--refresh-token-rotation Feature=ENABLED,RetryGracePeriodSeconds=10'

function refreshRotation (d: Diagnosis): Feature {
  const name = 'refresh-rotation'
  const rotates = d.facts.client?.RefreshTokenRotation?.Feature === 'ENABLED'
  if (d.config.refreshTokenRotation) {
    if (rotates) return works(name, 'refreshes go through GetTokensFromRefreshToken and keep the rotated refresh token; a replayed old one ends the session')
    return off(name, 'REFRESH_TOKEN_ROTATION=true but the app client does not rotate refresh tokens: refreshes go through GetTokensFromRefreshToken and keep the same refresh token',
      clientUpdate(d, ROTATE))
  }
  if (rotates) {
    return change(name, 'the app client rotates refresh tokens but REFRESH_TOKEN_ROTATION is not true: the client refuses REFRESH_TOKEN_AUTH, so every refresh fails',
      'REFRESH_TOKEN_ROTATION=true')
  }
  if (!allows(d, 'REFRESH_TOKEN_AUTH')) {
    return change(name, 'the app client does not allow ALLOW_REFRESH_TOKEN_AUTH: every session ends when its access token expires', flowsUpdate(d))
  }
  return off(name, 'refreshes go through REFRESH_TOKEN_AUTH; the refresh token stays the same for its lifetime',
    `${clientUpdate(d, ROTATE)}, then REFRESH_TOKEN_ROTATION=true`)
}

function tokenLifetimes (d: Diagnosis): Feature {
  const name = 'token-lifetimes'
  const { access, id, refresh } = lifetimes(d)
  const ttl = d.config.cookie.maxAgeSeconds
  const tokens = `access tokens live ${duration(access)}, id tokens ${duration(id)}, refresh tokens ${duration(refresh)}`
  if (ttl > refresh) {
    return change(name, `REFRESH_TOKEN_TTL ${duration(ttl)} but the client's refresh tokens live ${duration(refresh)}: sessions fail to refresh before their cookies expire`,
      `REFRESH_TOKEN_TTL=${duration(refresh)}, or ${clientUpdate(d, `--refresh-token-validity ${ttl / 86400 >= 1 && ttl % 86400 === 0 ? `${ttl / 86400} --token-validity-units RefreshToken=days` : `${Math.ceil(ttl / 60)} --token-validity-units RefreshToken=minutes`}`)}`)
  }
  const shorter = ttl < refresh ? `; sessions end after REFRESH_TOKEN_TTL ${duration(ttl)}, before the refresh token would` : `, as REFRESH_TOKEN_TTL ${duration(ttl)}`
  return works(name, tokens + shorter)
}

/** The token verdicts, in the order docs/existing-pools.md lists them. */
export const refreshVerdict = (d: Diagnosis): Feature => judged(d, 'refresh-rotation', ['DescribeUserPoolClient'], () => refreshRotation(d))
export const lifetimeVerdict = (d: Diagnosis): Feature => judged(d, 'token-lifetimes', ['DescribeUserPoolClient'], () => tokenLifetimes(d))

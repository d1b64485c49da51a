// The doctor's verdicts on federated sign-in, one per identity provider (`federated:<Provider>`):
// the providers OAUTH_PROVIDERS offers, and those the app client has that it leaves out — the
// managed-login domain, the client's OAuth settings and the callback URL under PUBLIC_ORIGIN.
import { CALLBACK_PATH, SCOPES } from '../plugins/app/cognito/oauth.ts'
import { change, off, works, type Diagnosis, type Feature } from './feature.ts'
import { clientUpdate, judged } from './fixes.ts'

/** The embedded emulator's managed login federates to its own OpenID provider. */
const EMBEDDED_PROVIDER = 'DevIdP'

/** The managed-login domain of the pool, as AWS names it (a custom domain, else the prefix domain), when the pool has one. */
function poolDomain (d: Diagnosis): string | undefined {
  const pool = d.facts.pool
  if (pool?.CustomDomain !== undefined) return pool.CustomDomain
  return pool?.Domain === undefined ? undefined : `${pool.Domain}.auth.${d.target.region}.amazoncognito.com`
}

/** The server's callback URL, which the client must list. */
const callbackUrl = (d: Diagnosis): string | undefined => d.config.publicOrigin === undefined ? undefined : `${d.config.publicOrigin}${CALLBACK_PATH}`

/** One update of the client's OAuth settings with every provider, scope and callback URL the server needs (and those it has). */
function oauthUpdate (d: Diagnosis): string {
  const client = d.facts.client
  const providers = [...new Set([...(client?.SupportedIdentityProviders ?? []), ...d.config.oauth.providers])]
  const callbacks = [...new Set([...(client?.CallbackURLs ?? []), callbackUrl(d) ?? ''].filter(Boolean))]
  const scopes = [...new Set([...(client?.AllowedOAuthScopes ?? []), ...SCOPES.split(' ')])]
  return clientUpdate(d, `--supported-identity-providers ${providers.join(' ')} --allowed-o-auth-flows code --allowed-o-auth-flows-user-pool-client --allowed-o-auth-scopes ${scopes.join(' ')} --callback-urls ${callbacks.join(' ')}`)
}

/** What keeps a configured provider from working, or undefined. */
function problem (d: Diagnosis, provider: string): { detail: string, fix: string } | undefined {
  const domain = d.config.oauth.domain
  const expected = poolDomain(d)
  if (domain === undefined) return { detail: 'COGNITO_DOMAIN is not set: federated sign-in goes through the pool\'s managed login', fix: `COGNITO_DOMAIN=https://${expected ?? '<the pool\'s domain>'}` }
  if (expected !== undefined && new URL(domain).host !== expected) {
    return { detail: `COGNITO_DOMAIN is ${domain}, but the pool's managed login is at ${expected}`, fix: `COGNITO_DOMAIN=https://${expected}` }
  }
  const callback = callbackUrl(d)
  if (callback === undefined) return { detail: 'PUBLIC_ORIGIN is not set: the callback URL derives from it', fix: 'PUBLIC_ORIGIN=https://<the host users reach the server at>' }
  const client = d.facts.client
  if (!(client?.SupportedIdentityProviders ?? []).includes(provider)) return { detail: `the app client does not offer ${provider} (SupportedIdentityProviders)`, fix: oauthUpdate(d) }
  if (client?.AllowedOAuthFlowsUserPoolClient !== true || !(client.AllowedOAuthFlows ?? []).includes('code')) {
    return { detail: 'the app client does not allow the authorization code grant (AllowedOAuthFlows code)', fix: oauthUpdate(d) }
  }
  const missing = SCOPES.split(' ').filter((scope) => !(client.AllowedOAuthScopes ?? []).includes(scope))
  if (missing.length > 0) return { detail: `the app client does not allow the scopes ${missing.join(', ')}`, fix: oauthUpdate(d) }
  if (!(client.CallbackURLs ?? []).includes(callback)) return { detail: `callback URL for PUBLIC_ORIGIN missing: the app client does not list ${callback}`, fix: oauthUpdate(d) }
  return undefined
}

function provider (d: Diagnosis, name: string): Feature {
  const feature = `federated:${name}`
  if (d.target.embedded) return works(feature, 'through the embedded emulator\'s managed login and its OpenID provider')
  return judged(d, feature, ['DescribeUserPool', 'DescribeUserPoolClient'], () => {
    const found = problem(d, name)
    if (found !== undefined) return change(feature, found.detail, found.fix)
    return works(feature, `GET /auth/oauth/${name} through ${d.config.oauth.domain ?? ''}, back to ${callbackUrl(d) ?? ''}`)
  })
}

/** A verdict per provider: the configured ones, then those the client offers that OAUTH_PROVIDERS leaves out. */
export function federatedVerdicts (d: Diagnosis): Feature[] {
  const offeredByClient = (d.facts.client?.SupportedIdentityProviders ?? []).filter((p) => p !== 'COGNITO')
  // The embedded server offers every provider of its emulator's managed login.
  const embedded = offeredByClient.length > 0 ? offeredByClient : [EMBEDDED_PROVIDER]
  const configured = d.config.oauth.providers.length > 0 || !d.target.embedded ? d.config.oauth.providers : embedded
  const offered = offeredByClient.filter((p) => !configured.includes(p))
  return [
    ...configured.map((name) => provider(d, name)),
    ...offered.map((name) => off(`federated:${name}`, `the app client offers ${name}, but OAUTH_PROVIDERS leaves it out`,
      `OAUTH_PROVIDERS=${[...configured, name].join(',')}${d.config.oauth.domain === undefined ? ' with COGNITO_DOMAIN' : ''}`))
  ]
}

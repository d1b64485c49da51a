// DevIdP: an OpenID provider embedded in the emulator for development, built on oidc-provider
// (the certified implementation) and mounted on the emulator's HTTP server (under /devidp). Its one
// client is the emulator's managed login (code flow, PKCE, client_secret_basic). Its sign-in page
// is ./interaction.ts; its users, ./accounts.ts. Keys, cookie keys and the client secret are made
// at each start: nothing it issues outlives the emulator. oidc-provider is imported, and the
// provider made, at the first request to it: most emulator starts never have one (every test file
// starts an emulator; loading it cost each about a third of a second of CPU).
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import type http from 'node:http'
import type Provider from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import { escapeHtml, sendPage } from '../oauth/http.ts'
import type { OidcProviderSettings } from '../oauth/oidc-client.ts'
import { MANAGED_LOGIN_PROVIDERS } from '../oauth/providers.ts'
import { DevIdpAccounts } from './accounts.ts'
import { showSignInForm, submitSignInForm } from './interaction.ts'
import { memoryAdapter } from './memory-adapter.ts'

export interface DevIdp {
  /** How the managed login is configured with it (its ProviderDetails). */
  settings: OidcProviderSettings
  /** Answers a request under DEVIDP_PATH. */
  handle (req: http.IncomingMessage, res: http.ServerResponse): Promise<void>
}

export interface DevIdpOptions {
  /** The browser-facing origin, e.g. http://localhost:41234: the issuer is `${origin}${path}`. */
  origin: string
  /** Where it is mounted on the emulator's server, e.g. /devidp. */
  path: string
  /** The same server as the emulator reaches it itself, e.g. http://127.0.0.1:41234. */
  backChannel: string
  /** The managed login's /oauth2/idpresponse. */
  redirectUri: string
}

const INTERACTION = /^\/interaction\/([\w-]+)$/

export function startDevIdp ({ origin, path: mountPath, backChannel, redirectUri }: DevIdpOptions): DevIdp {
  const issuer = `${origin}${mountPath}`
  const client = { clientId: 'cognito-managed-login', clientSecret: randomBytes(24).toString('base64url') }
  const accounts = new DevIdpAccounts()
  // Its signing key is made with the provider: no id token of it exists to check before then.
  const signingKeys = new Map<string, KeyObject>()
  let made: Promise<{ provider: Provider, callback: ReturnType<Provider['callback']> }> | undefined
  const ready = () => {
    if (made !== undefined) return made
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const kid = randomBytes(8).toString('hex')
    signingKeys.set(kid, publicKey)
    made = makeProvider(issuer, mountPath, redirectUri, client, { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }, accounts)
    return made
  }

  return {
    settings: {
      ref: MANAGED_LOGIN_PROVIDERS[0] as OidcProviderSettings['ref'],
      issuer,
      authorizationEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${backChannel}${mountPath}/token`,
      ...client,
      signingKeys,
      redirectUri,
      scope: 'openid email profile'
    },
    async handle (req, res) {
      const url = req.url ?? '/'
      const path = url.split('?')[0]?.slice(mountPath.length) ?? ''
      const interaction = INTERACTION.exec(path)
      const { provider, callback } = await ready()
      if (interaction !== null) {
        try {
          if (req.method === 'GET') return await showSignInForm(provider, req, res)
          if (req.method === 'POST') return await submitSignInForm(provider, accounts, req, res)
          return sendPage(res, 405, 'DevIdP', '<p>Method not allowed.</p>')
        } catch (err) {
          // oidc-provider's SessionNotFound and kin: no interaction cookie, or one that expired.
          if (typeof (err as { statusCode?: unknown }).statusCode !== 'number' || res.headersSent) throw err
          return sendPage(res, 400, 'DevIdP', '<h1>DevIdP</h1><p>This sign-in has expired or was finished already. Start again from the app.</p>')
        }
      }
      // Mounted as Express mounts it: the library finds its mount path from originalUrl.
      Object.assign(req, { originalUrl: url, url: url.slice(mountPath.length) || '/' })
      callback(req, res)
    }
  }
}

/** The oidc-provider instance of a DevIdP, its library imported on first use. */
async function makeProvider (issuer: string, mountPath: string, redirectUri: string, client: { clientId: string, clientSecret: string },
  jwk: Record<string, unknown>, accounts: DevIdpAccounts): Promise<{ provider: Provider, callback: ReturnType<Provider['callback']> }> {
  const { default: OidcProvider, interactionPolicy } = await import('oidc-provider')
  // The DevIdP asks every time (a developer signs in as whoever they like); the managed login's own session is what skips it.
  const policy = interactionPolicy.base()
  policy.get('login')?.checks.add(new interactionPolicy.Check('dev_idp_asks', 'DevIdP asks for an email at every sign-in',
    (ctx) => ctx.oidc.result?.login === undefined ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT))

  const provider = new OidcProvider(issuer, {
    adapter: memoryAdapter(),
    clients: [{
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic'
    }],
    findAccount: (_ctx: unknown, sub: string) => accounts.find(sub),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false, // the id token carries email and name, as the providers Cognito federates to do
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: 'devidp_session', interaction: 'devidp_interaction', resume: 'devidp_resume' }
    },
    features: { devInteractions: { enabled: false } },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}` },
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.type = 'html'
      ctx.body = `<!doctype html><title>DevIdP error</title><h1>DevIdP: ${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`
    },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 }
  })
  return { provider, callback: provider.callback() }
}

// The emulator's managed login (Cognito's hosted UI domain) on the emulator's own HTTP server:
// the OAuth endpoints, one file each in this directory, and the DevIdP they federate to
// (../devidp). Unlike the JSON API, browsers come here: a page's navigation and the DevIdP's form
// are let in, any other web page's request is refused (docs/emulator.md).
import type http from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Router } from 'cognito-local/lib/server/Router.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { DevIdp, DevIdpOptions } from '../devidp/dev-idp.ts'
import { isLoopbackHost } from '../emulator-guard.ts'
import { authorize } from './authorize.ts'
import type { Endpoint, ManagedLogin } from './context.ts'
import { sendErrorPage } from './http.ts'
import { idpResponse } from './idp-response.ts'
import { logout } from './logout.ts'
import { ManagedLoginStore } from './store.ts'
import { token } from './token.ts'
import { userInfo } from './user-info.ts'

/** The managed-login endpoints, by method and path (paths as Cognito spells them, userInfo included). */
const ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map([
  ['GET /oauth2/authorize', authorize],
  ['GET /oauth2/idpresponse', idpResponse],
  ['POST /oauth2/token', token],
  ['GET /oauth2/userInfo', userInfo],
  ['POST /oauth2/userInfo', userInfo],
  ['GET /logout', logout]
])

/** Where DevIdP is mounted. */
const DEVIDP_PATH = '/devidp'

export interface ManagedLoginOptions {
  bridge: ManagedLogin['bridge']
  operations: Router
  clock: Clock
  /** The port the emulator listens on: the managed-login domain is http://localhost:<port>. */
  port: number
  /** How the emulator reaches itself (the DevIdP's token endpoint), e.g. http://127.0.0.1:<port>. */
  endpoint: string
  log: FastifyBaseLogger
  /** Default 300, as AWS. */
  codeTtlSeconds?: number
}

export interface ManagedLoginSite {
  /** The managed-login domain, e.g. http://localhost:41234 (what COGNITO_DOMAIN is on AWS). */
  domain: string
  /** The identity providers it federates to: ['DevIdP'], or none when oidc-provider is not installed. */
  providers: string[]
  /** Answers the request when it is the managed login's or the DevIdP's; false when it is neither. */
  answer (req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean>
}

export async function startManagedLogin ({ bridge, operations, clock, port, endpoint, log, codeTtlSeconds }: ManagedLoginOptions): Promise<ManagedLoginSite> {
  const domain = `http://localhost:${port}`
  const devIdp = await loadDevIdp({ origin: domain, path: DEVIDP_PATH, backChannel: endpoint, redirectUri: `${domain}/oauth2/idpresponse` }, log)
  const login: ManagedLogin = {
    bridge,
    operations,
    store: new ManagedLoginStore(clock, { codeSeconds: codeTtlSeconds ?? 300, sessionSeconds: 3600, pendingSeconds: 600 }),
    providers: new Map(devIdp === undefined ? [] : [[devIdp.settings.ref.name, devIdp.settings]]),
    domain,
    log
  }
  // The origins of this very server: its own pages (the DevIdP's form) post with one of them.
  const ownOrigins = new Set([domain, `http://127.0.0.1:${port}`, `http://[::1]:${port}`])

  return {
    domain,
    providers: [...login.providers.keys()],
    async answer (req, res, path) {
      const endpoint = ENDPOINTS.get(`${req.method} ${path}`)
      const devIdpPath = devIdp !== undefined && (path === DEVIDP_PATH || path.startsWith(`${DEVIDP_PATH}/`))
      if (endpoint === undefined && !devIdpPath) return false
      const origin = req.headers.origin
      if (!isLoopbackHost(req.headers.host) || (origin !== undefined && !ownOrigins.has(origin))) {
        req.resume()
        sendErrorPage(res, 'access_denied', 'The managed login answers loopback Hosts, and no other web page\'s requests.', 403)
        return true
      }
      if (endpoint !== undefined) await endpoint(login, req, res)
      else await devIdp?.handle(req, res)
      return true
    }
  }
}

/**
 * DevIdP, loaded only now: oidc-provider is an optional peer, and without it the emulator runs
 * without federated sign-in. Resolving it loads nothing: DevIdP imports it at its first request.
 */
async function loadDevIdp (options: DevIdpOptions, log: FastifyBaseLogger): Promise<DevIdp | undefined> {
  try {
    import.meta.resolve('oidc-provider')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err
    log.warn('oidc-provider is not installed: the embedded emulator runs without DevIdP (no federated sign-in)')
    return undefined
  }
  const { startDevIdp } = await import('../devidp/dev-idp.ts')
  return startDevIdp(options)
}

// What every managed-login endpoint works with: the pool's store and token generator (as the
// operations have them), the managed login's memory, the identity provider it federates to, and
// the app clients' OAuth settings (CallbackURLs, LogoutURLs, AllowedOAuthFlows, scopes, secret).
import type http from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Router } from 'cognito-local/lib/server/Router.js'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from '../rules/bridge.ts'
import type { OidcProviderSettings } from './oidc-client.ts'
import type { ManagedLoginStore } from './store.ts'

export interface ManagedLogin {
  bridge: Pick<Bridge, 'ctx' | 'services' | 'tokens' | 'triggers'>
  /** The emulator's operations (bridged), for the refresh_token grant. */
  operations: Router
  store: ManagedLoginStore
  /** The identity providers it federates to, by name. */
  providers: ReadonlyMap<string, OidcProviderSettings>
  /** The browser-facing origin (the managed-login domain), e.g. http://localhost:41234. */
  domain: string
  log: FastifyBaseLogger
}

/** One managed-login endpoint. */
export type Endpoint = (login: ManagedLogin, req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>

/** The cookie of the managed-login session (Cognito's is named `cognito` too). */
export const SESSION_COOKIE = 'cognito'
/** The cookie that binds a sign-in at the identity provider to the browser that started it. */
export const FEDERATION_COOKIE = 'cognito-federation'

/** An app client by id; undefined when there is none (or no id). */
export async function appClient ({ bridge }: ManagedLogin, clientId: string | undefined): Promise<AppClient | undefined> {
  if (clientId === undefined) return undefined
  return await bridge.services.cognito.getAppClient(bridge.ctx, clientId) ?? undefined
}

export const poolOf = ({ bridge }: ManagedLogin, client: AppClient): Promise<UserPoolService> =>
  bridge.services.cognito.getUserPool(bridge.ctx, client.UserPoolId)

// The two ways a sign-in at the managed login ends, both a redirect to the app's redirect_uri:
// with a fresh authorization code, or with an OAuth error; `state` handed back either way.
import type http from 'node:http'
import type { ManagedLogin } from './context.ts'
import { redirect, withParams } from './http.ts'
import type { AuthorizeRequest, SignedInUser } from './store.ts'

/** 302 to the app with a new single-use code for `user` (valid store.ttls.codeSeconds). */
export function redirectWithCode (login: ManagedLogin, res: http.ServerResponse, request: AuthorizeRequest, user: SignedInUser, setCookies: string[] = []): void {
  const code = login.store.codes.add({ ...request, ...user })
  redirect(res, withParams(request.redirectUri, { code, state: request.state }), setCookies)
}

/** 302 to the app with `error` and `error_description` (Cognito's format: ?error_description=…&error=…). */
export function redirectWithError (res: http.ServerResponse, request: Pick<AuthorizeRequest, 'redirectUri' | 'state'>, error: string, description: string, setCookies: string[] = []): void {
  redirect(res, withParams(request.redirectUri, { error_description: description, error, state: request.state }), setCookies)
}

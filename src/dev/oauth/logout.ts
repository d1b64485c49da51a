// The emulated managed login's /logout: its session ended, then the redirect to the allowed sign-out URL.
import { appClient, SESSION_COOKIE, type Endpoint } from './context.ts'
import { cookie, cookies, query, redirect, sendErrorPage, single } from './http.ts'

/**
 * GET /logout?client_id=…&logout_uri=…: ends the managed-login session (forgets it and clears
 * its cookie) and redirects to logout_uri, which must be one of the client's LogoutURLs exactly;
 * anything else gets an error page and the session stays. The `redirect_uri` form (back to
 * managed login's sign-in page) is not emulated: the emulator has no such page.
 */
export const logout: Endpoint = async (login, req, res) => {
  const params = query(req)
  const client = await appClient(login, single(params, 'client_id'))
  if (client === undefined) return sendErrorPage(res, 'invalid_request', 'client_id is missing or names no app client of the pool.')
  const logoutUri = single(params, 'logout_uri')
  if (logoutUri === undefined) return sendErrorPage(res, 'invalid_request', 'logout_uri is required (the emulator has no sign-in page to send redirect_uri to).')
  if (!(client.LogoutURLs ?? []).includes(logoutUri)) return sendErrorPage(res, 'invalid_request', 'logout_uri is not one of the app client\'s sign-out URLs.')
  login.store.sessions.take(cookies(req).get(SESSION_COOKIE))
  redirect(res, logoutUri, [cookie(SESSION_COOKIE, '', '/', 0)])
}

// Federated sign-in: one "Continue with <provider>" link per provider the server offers. The
// sign-in is a round trip of the browser through the server's /auth/oauth routes and the
// provider's pages; the page loads again afterwards, signed in or with `?error=<reason>`.
import { api, auth } from './auth.ts'
import { callbackText } from './messages.ts'
import { $, element, showErrorText } from './ui.ts'

/**
 * Where the server sends the browser back: this page, when the API is on this page's origin (the
 * server only returns to paths of its own origin); its root otherwise.
 */
const returnTo = api === location.origin ? location.pathname : '/'

/** A route of the server, with `?redirect=` back here. */
export const serverRoute = (path: string): string => `${api}${path}?redirect=${encodeURIComponent(returnTo)}`

/** Draws a link per provider; none (and no section) when the server offers none. */
export async function loadProviders (): Promise<void> {
  const providers = await auth.signInProviders()
  $('#provider-links').replaceChildren(...providers.map((provider) => element('li', {},
    element('a', { class: 'button', href: serverRoute(`/auth/oauth/${encodeURIComponent(provider)}`), 'data-provider': provider }, `Continue with ${provider}`))))
  $('#sign-in-providers').hidden = providers.length === 0
}

/**
 * A federated sign-in that failed comes back with `?error=<reason>`: said in words once, then
 * taken out of the address so that a reload does not say it again.
 */
export function showReturnedError (): void {
  const url = new URL(location.href)
  const reason = url.searchParams.get('error')
  if (reason === null) return
  url.searchParams.delete('error')
  history.replaceState(null, '', url)
  showErrorText(/^[A-Z_]{1,40}$/.test(reason) ? reason : 'ERROR', callbackText(reason))
}

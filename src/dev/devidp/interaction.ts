// The DevIdP's sign-in page (oidc-provider's `interactions.url`): a form that asks for an email
// and a name, and a Cancel button that answers access_denied. Submitting it signs that email in
// and grants the emulator's client the scopes it asked for (a first-party client: no consent page).
import type http from 'node:http'
import type Provider from 'oidc-provider'
import { escapeHtml, readForm, sendPage } from '../oauth/http.ts'
import { DevIdpAccounts, looksLikeEmail } from './accounts.ts'

/** GET: the form, for the interaction named by the path and the interaction cookie. */
export async function showSignInForm (provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, problem?: string): Promise<void> {
  const { uid, params } = await provider.interactionDetails(req, res)
  const hint = typeof params.login_hint === 'string' ? params.login_hint : ''
  sendPage(res, problem === undefined ? 200 : 400, 'Sign in to DevIdP', `
    <h1>DevIdP</h1>
    <p>The development identity provider: any email signs in, no password. It never runs in production.</p>
    ${problem === undefined ? '' : `<p role="alert"><strong>${escapeHtml(problem)}</strong></p>`}
    <form method="post" action="${escapeHtml(uid)}">
      <label>Email <input type="email" name="email" required autofocus autocomplete="email" value="${escapeHtml(hint)}"></label>
      <label>Name <input type="text" name="name" autocomplete="name" maxlength="200"></label>
      <label><input type="checkbox" name="email_verified" value="true" checked style="display:inline;width:auto"> The email is verified</label>
      <button type="submit" name="action" value="sign-in">Sign in</button>
      <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
    </form>`)
}

/** POST: signs the email in (or cancels) and sends the browser back to the authorization endpoint. */
export async function submitSignInForm (provider: Provider, accounts: DevIdpAccounts, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const form = await readForm(req)
  const details = await provider.interactionDetails(req, res)
  let result
  if (form?.get('action') === 'cancel') {
    result = { error: 'access_denied', error_description: 'The user cancelled the sign-in at DevIdP.' }
  } else {
    const email = (form?.get('email') ?? '').trim()
    if (!looksLikeEmail(email)) return showSignInForm(provider, req, res, 'Type an email address.')
    const name = (form?.get('name') ?? '').trim().slice(0, 200)
    const accountId = accounts.signIn({ email, name: name === '' ? email.split('@')[0] as string : name, emailVerified: form?.get('email_verified') === 'true' })
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) })
    grant.addOIDCScope(String(details.params.scope))
    result = { login: { accountId }, consent: { grantId: await grant.save() } }
  }
  const returnTo = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false })
  res.writeHead(303, { location: returnTo, 'cache-control': 'no-store' }).end()
}

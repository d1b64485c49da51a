// Compiled from src/providers.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Federated sign-in: one "Sign in with <provider>" link per provider the server offers. The
// sign-in itself is a round trip of the browser through the server's /auth/oauth routes and the
// provider's pages; the page is loaded again afterwards, signed in (or with ?error=<reason>).
import { api, ApiError, request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { $, showError } from "./ui.js";
const SignInProviders = graphql(`
  query SignInProviders { signInProviders }
`);
/**
 * Where the server sends the browser back: this page, when the API is on this page's origin (the
 * server only returns to paths of its own origin); its root otherwise.
 */
const returnTo = api === location.origin ? location.pathname : '/';
/** A route of the server, with `?redirect=` back here. */
const route = (path) => `${api}${path}?redirect=${encodeURIComponent(returnTo)}`;
/** Draws a link per provider; none (and no section) when the server offers none. */
export async function loadProviders() {
    const { signInProviders } = await request(SignInProviders);
    $('#provider-links').replaceChildren(...signInProviders.map((provider) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = route(`/auth/oauth/${encodeURIComponent(provider)}`);
        link.textContent = `Sign in with ${provider}`;
        link.dataset.provider = provider;
        item.append(link);
        return item;
    }));
    $('#sign-in-providers').hidden = signInProviders.length === 0;
    // Signing out of the managed login too: the next federated sign-in asks the provider again.
    $('#provider-sign-out-link').href = route('/auth/oauth/logout');
    $('#provider-sign-out').hidden = signInProviders.length === 0;
}
/**
 * A federated sign-in that failed comes back with `?error=<reason>`: shown once, then taken out
 * of the address so that a reload does not show it again.
 */
export function showReturnedError() {
    const url = new URL(location.href);
    const reason = url.searchParams.get('error');
    if (reason === null)
        return;
    url.searchParams.delete('error');
    history.replaceState(null, '', url);
    showError(new ApiError(/^[A-Z_]{1,40}$/.test(reason) ? reason : 'ERROR', 'The sign-in with the provider did not finish'));
}

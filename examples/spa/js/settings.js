// Compiled from examples/spa/src/settings.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The page's own settings: what no answer of the server tells it. A team sets its defaults here;
// the address's query overrides them for one load (`?api=…`, `?custom-challenge=on`), which is
// how development and the browser tests turn them on without a rebuild.
const query = new URLSearchParams(location.search);
/** A query switch: `on` or `off`, else the default. */
function switchOf(name, byDefault) {
    const given = query.get(name);
    return given === 'on' ? true : given === 'off' ? false : byDefault;
}
/**
 * Where the API is: `?api=http://localhost:3000` when this page is served from another origin
 * (that origin must be in the server's CORS_ORIGINS), this page's own origin otherwise.
 */
export const api = query.get('api') ?? location.origin;
/**
 * Whether the sign-in page offers "Sign in by answering a question" (`signIn` with method CUSTOM):
 * turn it on for a pool with custom challenge triggers. Nothing the server answers can tell: the
 * pool's choice of methods (SELECT_CHALLENGE) never lists Cognito's custom challenges.
 */
export const customChallenge = switchOf('custom-challenge', false);

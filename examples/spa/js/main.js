// Compiled from examples/spa/src/main.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The example SPA, an account center on the browser client cognito-graphql-auth/client: plain
// modules, no framework, no bundler, no GraphQL of its own. Each page or section is a module that
// wires its forms and listens for the user (session.ts); the address's hash names the page.
import { api } from "./auth.js";
import { loadProviders, showReturnedError } from "./providers.js";
import { loadMe, route } from "./session.js";
import { $, showError } from "./ui.js";
import "./sign-in.js";
import "./challenge.js";
import "./sign-up.js";
import "./forgot-password.js";
import "./account-profile.js";
import "./account-security.js";
import "./account-passkeys.js";
import "./account-sessions.js";
import "./account-activity.js";
import "./account-leave.js";
import "./notes.js";
$('#api').textContent = api;
addEventListener('hashchange', route);
// Back in this tab after a while: the session may have been ended from another device.
addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible')
    loadMe().catch(() => { }); });
// On load: back from a federated sign-in that failed? Is there a session already? Which providers?
showReturnedError();
loadMe().catch((error) => { route(); showError(error); });
loadProviders().catch(showError);

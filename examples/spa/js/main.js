// Compiled from src/main.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The example SPA: plain modules, no framework, no bundler. Each area's module holds its
// GraphQL operations (typed by `npm run codegen:spa` from the server's schema) and wires its
// forms; session.ts holds what the page knows and draws it.
import { api } from "./api.js";
import { loadProviders, showReturnedError } from "./providers.js";
import { loadMe } from "./session.js";
import { $, showError } from "./ui.js";
import "./sign-up.js";
import "./sign-in.js";
import "./password.js";
import "./profile.js";
import "./totp.js";
import "./email-mfa.js";
import "./passkeys.js";
import "./account.js";
$('#api').textContent = api;
// On load: back from a federated sign-in that failed? Is there a session already? Which providers?
showReturnedError();
loadMe().catch(showError);
loadProviders().catch(showError);

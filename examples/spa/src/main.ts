// The example SPA: plain modules, no framework, no bundler. Each area's module holds its
// GraphQL operations (typed by `npm run codegen:spa` from the server's schema) and wires its
// forms; session.ts holds what the page knows and draws it.
import { api } from './api.ts'
import { loadProviders, showReturnedError } from './providers.ts'
import { loadMe } from './session.ts'
import { $, showError } from './ui.ts'
import './sign-up.ts'
import './sign-in.ts'
import './password.ts'
import './profile.ts'
import './totp.ts'
import './email-mfa.ts'
import './passkeys.ts'
import './account.ts'

$('#api').textContent = api
// On load: back from a federated sign-in that failed? Is there a session already? Which providers?
showReturnedError()
loadMe().catch(showError)
loadProviders().catch(showError)

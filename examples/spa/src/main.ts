// The example SPA: plain modules, no framework, no bundler. Each area's module holds its
// GraphQL operations (typed by `npm run codegen:spa` from the server's schema) and wires its
// forms; session.ts holds what the page knows and draws it.
import { api } from './api.ts'
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
// On load: is there a session already?
loadMe().catch(showError)

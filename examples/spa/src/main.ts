// The example SPA, an account center on the browser client cognito-graphql-auth/client: plain
// modules, no framework, no bundler, no GraphQL of its own. Each page or section is a module that
// wires its forms and listens for the user (session.ts); the address's hash names the page.
import { api } from './auth.ts'
import { loadProviders, showReturnedError } from './providers.ts'
import { loadMe, route } from './session.ts'
import { $, showError } from './ui.ts'
import './sign-in.ts'
import './challenge.ts'
import './sign-up.ts'
import './forgot-password.ts'
import './account-profile.ts'
import './account-security.ts'
import './account-passkeys.ts'
import './account-sessions.ts'
import './account-activity.ts'
import './account-leave.ts'
import './notes.ts'

$('#api').textContent = api
addEventListener('hashchange', route)
// Back in this tab after a while: the session may have been ended from another device.
addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') loadMe().catch(() => {}) })
// On load: back from a federated sign-in that failed? Is there a session already? Which providers?
showReturnedError()
loadMe().catch((error: unknown) => { route(); showError(error) })
loadProviders().catch(showError)

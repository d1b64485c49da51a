/* global document, fetch, location, FormData, Option, URLSearchParams */
// The example SPA: plain fetch against the GraphQL API, no framework, no build step.
//
// The session lives in HttpOnly cookies that this script can neither read nor write: the
// browser stores them from the API's answers and sends them back because every request says
// `credentials: 'include'`. So the page never handles a token; it only asks `me`.

// Where the API is: `?api=http://localhost:3000` when this page is served from another origin
// (that origin must be in the server's CORS_ORIGINS), this page's own origin otherwise.
const api = new URLSearchParams(location.search).get('api') ?? location.origin

/** A GraphQL error, with the stable `extensions.code` a program can branch on. */
class ApiError extends Error {
  constructor (code, message, extensions = {}) {
    super(message)
    this.code = code
    this.extensions = extensions
  }
}

/** Runs one GraphQL operation; returns `data`, or throws the first error as an ApiError. */
async function graphql (query, variables = {}) {
  let response
  try {
    response = await fetch(`${api}/graphql`, {
      method: 'POST',
      credentials: 'include', // send the session cookies, and accept the ones the answer sets
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables })
    })
  } catch {
    // A network failure, or a CORS refusal: the browser does not say which.
    throw new ApiError('NETWORK_ERROR', `Cannot reach ${api}/graphql (is the server up, and this origin in its CORS_ORIGINS?)`)
  }
  const body = await response.json().catch(() => ({}))
  const error = body.errors?.[0]
  if (error !== undefined) throw new ApiError(error.extensions?.code ?? 'ERROR', error.message, error.extensions)
  if (body.data == null) throw new ApiError('ERROR', `Unexpected answer (HTTP ${response.status})`)
  return body.data
}

// The fields the page shows, and what signIn, respondToChallenge and changePassword answer:
// either a Session (the cookies are set) or the next Challenge.
const USER = 'id email emailVerified name groups mfa preferredMfa'
const SIGN_IN_RESULT = `
  __typename
  ... on Session { expiresAt user { ${USER} } }
  ... on Challenge { name codeDelivery { medium destination } mfaOptions totpSetup { secret otpauthUri } }`

// What the page knows: the signed-in user (or null), and a challenge in progress (or null).
const state = { me: null, challenge: null }

const $ = (selector) => document.querySelector(selector)

function render () {
  $('#loading').hidden = true
  $('#signed-out').hidden = state.me !== null || state.challenge !== null
  $('#challenge').hidden = state.challenge === null
  $('#signed-in').hidden = state.me === null || state.challenge !== null
  if (state.me !== null) renderMe(state.me)
  if (state.challenge !== null) renderChallenge(state.challenge)
}

function renderMe (me) {
  const rows = {
    id: me.id,
    email: me.email,
    'email verified': me.emailVerified ? 'yes' : 'no',
    name: me.name ?? '—',
    groups: me.groups.join(', ') || '—',
    MFA: me.mfa.join(', ') || 'none',
    'preferred MFA': me.preferredMfa ?? '—'
  }
  $('#me').replaceChildren(...Object.entries(rows).flatMap(([term, value]) => {
    const dt = document.createElement('dt')
    const dd = document.createElement('dd')
    dt.textContent = term
    dd.textContent = value
    return [dt, dd]
  }))
}

const CHALLENGE_HELP = {
  SOFTWARE_TOKEN_MFA: 'Enter the code your authenticator app shows.',
  SMS_MFA: 'Enter the code sent by SMS.',
  MFA_SETUP: 'This account must use an authenticator app: add the secret below to one, then enter its code.',
  NEW_PASSWORD_REQUIRED: 'Choose a new password.',
  SELECT_MFA_TYPE: 'Choose a second factor.'
}

function renderChallenge (challenge) {
  const { name } = challenge
  $('#challenge-name').textContent = name
  $('#challenge-help').textContent = CHALLENGE_HELP[name] +
    (challenge.codeDelivery ? ` (sent to ${challenge.codeDelivery.destination})` : '')
  $('#challenge-setup').hidden = challenge.totpSetup == null
  $('#challenge-secret').textContent = challenge.totpSetup?.secret ?? ''
  $('#challenge-uri').textContent = challenge.totpSetup?.otpauthUri ?? ''
  $('#challenge-code').hidden = !['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'MFA_SETUP'].includes(name)
  $('#challenge-password').hidden = name !== 'NEW_PASSWORD_REQUIRED'
  $('#challenge-method').hidden = name !== 'SELECT_MFA_TYPE'
  $('#challenge-method select').replaceChildren(...(challenge.mfaOptions ?? []).map((method) => new Option(method, method)))
  $('#challenge-form').reset()
}

function showError (err) {
  const retry = err.extensions?.retryAfter ? ` Try again in ${err.extensions.retryAfter} s.` : ''
  $('#error').textContent = `${err.code ?? 'ERROR'}: ${err.message}${retry}`
  $('#error').hidden = false
}

function notify (text) {
  $('#notice').textContent = text
  $('#notice').hidden = false
}

/** Handles a form's submit: clears the messages, disables its buttons while `action` runs, shows its error. */
function onSubmit (id, action) {
  const form = $(`#${id}`)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    $('#error').hidden = true
    $('#notice').hidden = true
    const buttons = form.querySelectorAll('button')
    buttons.forEach((button) => { button.disabled = true })
    try {
      await action(Object.fromEntries(new FormData(form)), form)
    } catch (err) {
      showError(err)
    } finally {
      buttons.forEach((button) => { button.disabled = false })
    }
  })
}

/** A Session signs the user in; a Challenge asks for the next step. */
function signInStep (result) {
  if (result.__typename === 'Session') {
    state.me = result.user
    state.challenge = null
  } else {
    state.challenge = result
  }
  render()
}

onSubmit('sign-up', async ({ email, password, name }) => {
  const { signUp } = await graphql(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed codeDelivery { destination } } }',
    { input: { email, password, name: name || undefined } })
  $('#confirm [name=email]').value = email
  $('#sign-in [name=email]').value = email
  notify(signUp.userConfirmed ? 'Signed up: sign in.' : `Signed up: a code was sent to ${signUp.codeDelivery?.destination}.`)
})

// Development only: the embedded emulator keeps the codes it "emails" at GET /dev/mailbox.
$('#mailbox').addEventListener('click', async () => {
  $('#error').hidden = true
  const email = $('#confirm [name=email]').value
  try {
    const response = await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(email)}`)
    if (!response.ok) throw new ApiError('NO_MAILBOX', 'No development mailbox here (a real pool emails the code).')
    const [newest] = await response.json()
    if (newest === undefined) throw new ApiError('NO_CODE', `No code was sent to ${email} yet.`)
    $('#confirm [name=code]').value = newest.code
  } catch (err) {
    showError(err instanceof ApiError ? err : new ApiError('NETWORK_ERROR', `Cannot reach ${api}/dev/mailbox`))
  }
})

onSubmit('confirm', async ({ email, code }) => {
  await graphql('mutation ($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }', { input: { email, code } })
  $('#sign-in [name=email]').value = email
  notify('Email confirmed: sign in.')
})

onSubmit('sign-in', async ({ email, password }, form) => {
  const { signIn } = await graphql(`mutation ($input: SignInInput!) { signIn(input: $input) { ${SIGN_IN_RESULT} } }`, { input: { email, password } })
  form.reset()
  signInStep(signIn)
})

onSubmit('challenge-form', async ({ code, newPassword, mfaMethod }) => {
  const input = { name: state.challenge.name, code: code || undefined, newPassword: newPassword || undefined, mfaMethod: mfaMethod || undefined }
  try {
    const { respondToChallenge } = await graphql(
      `mutation ($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ${SIGN_IN_RESULT} } }`, { input })
    signInStep(respondToChallenge)
  } catch (err) {
    // The challenge is over (it expired, or was answered elsewhere): start again from sign-in.
    if (err.code === 'CHALLENGE_EXPIRED') await loadMe()
    throw err
  }
})

$('#challenge-cancel').addEventListener('click', () => loadMe().catch(showError))

onSubmit('setup-totp', async ({ currentPassword }, form) => {
  const { setupTotp } = await graphql(
    'mutation ($input: ReauthInput!) { setupTotp(input: $input) { secret otpauthUri } }', { input: { currentPassword } })
  form.reset()
  $('#totp-secret').textContent = setupTotp.secret
  $('#totp-uri').textContent = setupTotp.otpauthUri
  $('#verify-totp').hidden = false
})

onSubmit('verify-totp', async ({ code }, form) => {
  const { verifyTotp } = await graphql(`mutation ($input: VerifyTotpInput!) { verifyTotp(input: $input) { ${USER} } }`, { input: { code } })
  form.reset()
  form.hidden = true
  state.me = verifyTotp
  render()
  notify('Authenticator app set up: sign-ins now ask for its code.')
})

onSubmit('change-password', async ({ currentPassword, newPassword }, form) => {
  // Every other session of the user ends; this one is signed in again with the new password,
  // which may ask for a second factor like a sign-in does.
  const { changePassword } = await graphql(
    `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { ${SIGN_IN_RESULT} } }`, { input: { currentPassword, newPassword } })
  form.reset()
  signInStep(changePassword)
  notify('Password changed: every other session has ended.')
})

onSubmit('sign-out', async ({ everywhere }, form) => {
  await graphql('mutation ($input: SignOutInput) { signOut(input: $input) }', { input: { everywhere: everywhere === 'on' } })
  form.reset()
  state.me = null
  render()
  notify(everywhere ? 'Signed out on every device.' : 'Signed out.')
})

/** Asks the server who is signed in (`me` is null without a session), and forgets any challenge. */
async function loadMe () {
  state.challenge = null
  try {
    state.me = (await graphql(`{ me { ${USER} } }`)).me
  } finally {
    render()
  }
}

// On load: is there a session already?
$('#api').textContent = api
loadMe().catch(showError)

// The sign-in page: the email (or phone number) first; then the ways the pool offers (a password, a code by email
// or text, a passkey), and the identity providers; each way starts its own sign-in, and its
// challenges go to challenge.ts until a Session.
import { AuthError, type SignInMethod, type SignInResult } from 'cognito-graphql-auth/client'
import { named } from './account-name.ts'
import { auth } from './auth.ts'
import { captchaGuard } from './captcha.ts'
import { step } from './challenge.ts'
import { onUser, setSignInEmail, signInEmail } from './session.ts'
import { customChallenge } from './settings.ts'
import { $, actionButton, clearMessages, field, focus, onClick, onSubmit } from './ui.ts'
import { SIGN_IN_METHODS } from './words.ts'

/** The widget, once the server asks for it (after failed sign-ins from this address or for this account). */
const withCaptcha = captchaGuard('#sign-in-captcha', 'signIn')

/**
 * The ways to sign in, as the pool's SELECT_CHALLENGE lists them: the same for every email (they
 * tell nothing about the account). A pool without choice-based sign-in offers the password.
 */
async function methodsFor (address: string): Promise<SignInMethod[]> {
  try {
    const result = await withCaptcha(async (captchaToken) => await auth.signIn({ ...named(address), captchaToken }))
    if (result?.__typename === 'Challenge' && result.name === 'SELECT_CHALLENGE' && result.availableMethods !== null) return result.availableMethods
  } catch (error) {
    if (!(error instanceof AuthError) || !['NOT_SUPPORTED', 'BAD_USER_INPUT'].includes(error.code)) throw error
  }
  return ['PASSWORD']
}

/** Starts a sign-in with one way: a Session, or the next step. */
async function start (method: SignInMethod, password?: string): Promise<void> {
  const result: SignInResult | null = await withCaptcha(async (captchaToken) => method === 'PASSWORD'
    ? await auth.signIn({ ...named(signInEmail()), password: password ?? '', captchaToken })
    : await auth.signIn({ ...named(signInEmail()), method, captchaToken }))
  await step(result)
}

/** The pool's methods, and the custom challenge where this page offers it (the pool's choice never lists it). */
function showMethods (listed: SignInMethod[]): void {
  const methods: SignInMethod[] = customChallenge && !listed.includes('CUSTOM') ? [...listed, 'CUSTOM'] : listed
  $('#sign-in-email').hidden = true
  $('#sign-in-methods').hidden = false
  $('#sign-in-as').textContent = signInEmail()
  $('#sign-in-password').hidden = !methods.includes('PASSWORD')
  $('#sign-in-other-methods').replaceChildren(...methods.filter((method) => method !== 'PASSWORD').map((method) =>
    actionButton(SIGN_IN_METHODS[method], async () => await start(method), { 'data-method': method })))
  focus(methods.includes('PASSWORD') ? '#sign-in-password-input' : '#sign-in-other-methods button')
}

/** Back to the email step (another email, or a sign-in that ended). */
export function restartSignIn (): void {
  $('#sign-in-email').hidden = false
  $('#sign-in-methods').hidden = true
  field('sign-in-email', 'email').value = signInEmail()
}

onSubmit('sign-in-email', async ({ email = '' }) => {
  setSignInEmail(email.trim())
  showMethods(await methodsFor(signInEmail()))
})

onSubmit('sign-in-password', async ({ password }) => {
  await start('PASSWORD', password)
})

onClick('#sign-in-other-email', async () => {
  clearMessages()
  restartSignIn()
  focus('#sign-in-email-input')
})

/** Offers the email of a sign-up or reset that just finished. */
export function prefillSignIn (address: string): void {
  setSignInEmail(address)
  restartSignIn()
}

// Signed out: the next sign-in starts from the email again.
onUser((user) => { if (user === null) restartSignIn() })

// What the page knows (who is signed in, a sign-in step in progress, a setup waiting for its
// code) and the one function that draws the page from it.
import { ApiError, request } from './api.ts'
import { graphql } from './gql/gql.ts'
import type { SignInMethod, SignInStepFragment, UserFieldsFragment } from './gql/graphql.ts'
import { clearNotes, loadNotes } from './notes.ts'
import { loadPasskeys } from './passkeys.ts'
import { drawQrCode } from './qr.ts'
import { $, clearForms, field, showError } from './ui.ts'

// The fields the page shows of the user, and what signIn, respondToChallenge and changePassword
// answer: either a Session (the cookies are set) or the next Challenge.
graphql(`
  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }
`)
graphql(`
  fragment SignInStep on SignInResult {
    __typename
    ... on Session { expiresAt user { ...UserFields } }
    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }
  }
`)

const Me = graphql(`
  query Me { me { ...UserFields } }
`)

export type User = UserFieldsFragment
export type Challenge = Extract<SignInStepFragment, { __typename: 'Challenge' }>
/** An authenticator secret to set up: the same fields from setupTotp and from an MFA_SETUP challenge. */
export type TotpSetup = NonNullable<Challenge['totpSetup']>

interface State {
  /** The signed-in user, or null. */
  me: User | null
  /** The sign-in step waiting for an answer, or null. */
  challenge: Challenge | null
  /** An authenticator app being set up, until its first code is verified. */
  totpSetup: TotpSetup | null
  /** The new address of an email change, until its code is verified. */
  pendingEmail: string | null
}

export const state: State = { me: null, challenge: null, totpSetup: null, pendingEmail: null }

/** A Session signs the user in; a Challenge asks for the next step. */
export function signInStep (result: SignInStepFragment | null | undefined): void {
  if (result == null) throw new ApiError('ERROR', 'The server gave no sign-in result')
  if (result.__typename === 'Session') {
    signedIn(result.user)
  } else {
    state.challenge = result
    render()
  }
}

export function signedIn (user: User): void {
  Object.assign(state, { me: user, challenge: null, totpSetup: null })
  clearForms()
  render()
  loadNotes().catch(showError)
  loadPasskeys().catch(showError)
}

/** Shows the user as an operation answered it (a profile change, a second factor …). */
export function showUser (user: User | null | undefined): void {
  if (user != null) state.me = user
  render()
}

/** Forgets everything about the user: what the page shows and what its forms hold. */
export function signedOut (): void {
  Object.assign(state, { me: null, challenge: null, totpSetup: null, pendingEmail: null })
  clearForms()
  clearNotes()
  render()
}

/** Asks the server who is signed in (`me` is null without a session), and forgets any challenge. */
export async function loadMe (): Promise<void> {
  // Without an answer the page cannot tell: it offers to sign in, and shows why.
  const { me } = await request(Me).catch((error: unknown) => { signedOut(); throw error })
  if (me == null) signedOut()
  else signedIn(me)
}

export function render (): void {
  const { me, challenge } = state
  $('#loading').hidden = true
  $('#signed-out').hidden = me !== null || challenge !== null
  $('#challenge').hidden = challenge === null
  $('#signed-in').hidden = me === null || challenge !== null
  renderChallenge(challenge)
  renderMe(me)
}

function renderMe (me: User | null): void {
  const rows = me === null
    ? {}
    : {
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
  field('profile', 'name').placeholder = me?.name ?? ''

  // An email change waits for its code; so does an address that was never verified.
  const toVerify = state.pendingEmail ?? (me?.emailVerified === false ? me.email : null)
  $('#verify-email').hidden = toVerify === null
  $('#verify-email-help').textContent = toVerify === null ? '' : `Enter the code sent to ${toVerify}.`

  const totp = me?.mfa.includes('TOTP') ?? false
  $('#setup-totp').hidden = totp
  $('#disable-totp').hidden = !totp
  const email = me?.mfa.includes('EMAIL') ?? false
  $('#enable-email-mfa').hidden = email
  $('#disable-email-mfa').hidden = !email
  const setup = totp ? null : state.totpSetup
  $('#verify-totp').hidden = setup === null
  drawTotpSetup('totp', setup)
}

const METHOD_NAMES: Record<SignInMethod, string> = { PASSWORD: 'Password', EMAIL_CODE: 'A code by email', SMS_CODE: 'A code by SMS', PASSKEY: 'A passkey' }

const CHALLENGE_HELP: Record<Challenge['name'], string> = {
  SOFTWARE_TOKEN_MFA: 'Enter the code your authenticator app shows.',
  SMS_MFA: 'Enter the code sent by SMS.',
  MFA_SETUP: 'This account must use an authenticator app: scan the code below with one, then enter the code it shows.',
  NEW_PASSWORD_REQUIRED: 'Choose a new password.',
  SELECT_MFA_TYPE: 'Choose a second factor.',
  EMAIL_OTP: 'Enter the code we emailed you.',
  SMS_OTP: 'Enter the code sent by SMS.',
  WEB_AUTHN: 'Use your passkey.',
  SELECT_CHALLENGE: 'Choose how to sign in (a password needs the password too).'
}

function renderChallenge (challenge: Challenge | null): void {
  const name = challenge?.name
  $<HTMLFormElement>('#challenge-form').reset()
  $('#challenge-name').textContent = name ?? ''
  $('#challenge-help').textContent = name === undefined
    ? ''
    : CHALLENGE_HELP[name] + (challenge?.codeDelivery == null ? '' : ` (sent to ${challenge.codeDelivery.destination})`)
  $('#challenge-setup').hidden = challenge?.totpSetup == null
  drawTotpSetup('challenge', challenge?.totpSetup ?? null)
  const code = name === 'SOFTWARE_TOKEN_MFA' || name === 'SMS_MFA' || name === 'MFA_SETUP' || name === 'EMAIL_OTP' || name === 'SMS_OTP'
  $('#challenge-code').hidden = !code
  $('#challenge-form [data-mailbox]').hidden = name !== 'EMAIL_OTP'
  $('#challenge-password').hidden = name !== 'NEW_PASSWORD_REQUIRED'
  $('#challenge-method').hidden = name !== 'SELECT_MFA_TYPE'
  $('#challenge-method select').replaceChildren(...(challenge?.mfaOptions ?? []).map((method) => new Option(method, method)))
  $('#challenge-sign-in-method').hidden = name !== 'SELECT_CHALLENGE'
  $('#challenge-sign-in-method select').replaceChildren(...(challenge?.availableMethods ?? []).map((method) => new Option(METHOD_NAMES[method], method)))
  $('#challenge-current-password').hidden = name !== 'SELECT_CHALLENGE'
}

/** An authenticator secret as a QR code, as text and as its URI (`#<prefix>-qr`, `-secret`, `-uri`); empty without one. */
function drawTotpSetup (prefix: string, setup: TotpSetup | null): void {
  $(`#${prefix}-secret`).textContent = setup?.secret ?? ''
  $(`#${prefix}-uri`).textContent = setup?.otpauthUri ?? ''
  if (setup === null) $(`#${prefix}-qr`).replaceChildren()
  else drawQrCode($(`#${prefix}-qr`), setup.otpauthUri)
}

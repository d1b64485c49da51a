// What the page knows — who is signed in — and which page it shows: the sign-in pages while
// nobody is, the account page once someone is. Each account section listens for the user here.
import type { User } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { clearForms, focus, notify } from './ui.ts'

export type Page = 'sign-in' | 'challenge' | 'sign-up' | 'forgot-password' | 'account'

const TITLES: Record<Page, string> = {
  'sign-in': 'Sign in',
  challenge: 'Sign in',
  'sign-up': 'Create an account',
  'forgot-password': 'Reset your password',
  account: 'Your account'
}

/** The signed-in user, or null. */
let me: User | null = null
/** The email of the sign-in in progress (where its codes go). */
let email = ''

export function signInEmail (): string {
  return email
}

export function setSignInEmail (address: string): void {
  email = address
}
const listeners: Array<(user: User | null) => void> = []

export function currentUser (): User | null {
  return me
}

/** Calls `listener` with the user whenever the page learns it anew (null: signed out). */
export function onUser (listener: (user: User | null) => void): void {
  listeners.push(listener)
}

function tell (): void {
  for (const listener of listeners) listener(me)
}

/** Shows one page, names it in the title, and moves the focus to its heading. */
export function show (page: Page): void {
  document.getElementById('loading')?.setAttribute('hidden', '')
  for (const section of document.querySelectorAll<HTMLElement>('.page')) section.hidden = section.id !== `page-${page}`
  document.title = `${TITLES[page]} · Example app`
  const heading = document.querySelector<HTMLElement>(`#page-${page} h1`)
  if (heading !== null) focus(`#${heading.id}`)
}

/** The page the address asks for (`#sign-up` …), as far as the session allows it. */
export function route (): void {
  const wanted = location.hash.slice(1)
  if (me !== null) show('account')
  else show(wanted === 'sign-up' || wanted === 'forgot-password' ? wanted : 'sign-in')
}

/** Takes `user` as the signed-in user (a profile change, a second factor …) and redraws. */
export function showUser (user: User | null): void {
  if (user === null) return
  me = user
  tell()
}

export function signedIn (user: User): void {
  me = user
  clearForms()
  history.replaceState(null, '', '#account')
  tell()
  show('account')
}

/** Forgets everything about the user: what the page shows and what its forms hold. */
export function signedOut (message?: string): void {
  const was = me
  me = null
  email = ''
  clearForms()
  history.replaceState(null, '', '#sign-in')
  if (was !== null) tell()
  show('sign-in')
  if (message !== undefined) notify(message)
}

/** Asks the server who is signed in (`me` is null without a session). */
export async function loadMe (): Promise<void> {
  const user = await auth.me()
  if (user === null) signedOut()
  else signedIn(user)
}

// A sign-in or sign-out in another tab of this app, or a refusal that says the session is over
// (it was ended from another device): the page follows. Deferred, because this tab's own answers
// are heard here too, before the code that asked has drawn them.
auth.onSessionChange(({ signedIn: now }) => {
  setTimeout(() => {
    if (!now && me !== null) signedOut('You were signed out.')
    else if (now && me === null) loadMe().catch(() => {})
  }, 0)
})

// Compiled from examples/spa/src/session.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { clearForms, focus, notify } from "./ui.js";
const TITLES = {
    'sign-in': 'Sign in',
    challenge: 'Sign in',
    'sign-up': 'Create an account',
    'forgot-password': 'Reset your password',
    account: 'Your account'
};
/** The signed-in user, or null. */
let me = null;
/** The email of the sign-in in progress (where its codes go). */
let email = '';
export function signInEmail() {
    return email;
}
export function setSignInEmail(address) {
    email = address;
}
const listeners = [];
export function currentUser() {
    return me;
}
/** Calls `listener` with the user whenever the page learns it anew (null: signed out). */
export function onUser(listener) {
    listeners.push(listener);
}
function tell() {
    for (const listener of listeners)
        listener(me);
}
/** Shows one page, names it in the title, and moves the focus to its heading. */
export function show(page) {
    document.getElementById('loading')?.setAttribute('hidden', '');
    for (const section of document.querySelectorAll('.page'))
        section.hidden = section.id !== `page-${page}`;
    document.title = `${TITLES[page]} · Example app`;
    const heading = document.querySelector(`#page-${page} h1`);
    if (heading !== null)
        focus(`#${heading.id}`);
}
/** The page the address asks for (`#sign-up` …), as far as the session allows it. */
export function route() {
    const wanted = location.hash.slice(1);
    if (me !== null)
        show('account');
    else
        show(wanted === 'sign-up' || wanted === 'forgot-password' ? wanted : 'sign-in');
}
/** Takes `user` as the signed-in user (a profile change, a second factor …) and redraws. */
export function showUser(user) {
    if (user === null)
        return;
    me = user;
    tell();
}
export function signedIn(user) {
    me = user;
    clearForms();
    history.replaceState(null, '', '#account');
    tell();
    show('account');
}
/** Forgets everything about the user: what the page shows and what its forms hold. */
export function signedOut(message) {
    const was = me;
    me = null;
    email = '';
    clearForms();
    history.replaceState(null, '', '#sign-in');
    if (was !== null)
        tell();
    show('sign-in');
    if (message !== undefined)
        notify(message);
}
/** Asks the server who is signed in (`me` is null without a session). */
export async function loadMe() {
    const user = await auth.me();
    if (user === null)
        signedOut();
    else
        signedIn(user);
}
// A sign-in or sign-out in another tab of this app, or a refusal that says the session is over
// (it was ended from another device): the page follows. Deferred, because this tab's own answers
// are heard here too, before the code that asked has drawn them.
auth.onSessionChange(({ signedIn: now }) => {
    setTimeout(() => {
        if (!now && me !== null)
            signedOut('You were signed out.');
        else if (now && me === null)
            loadMe().catch(() => { });
    }, 0);
});

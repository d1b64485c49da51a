// Compiled from examples/spa/src/account-sessions.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { clearDevices, loadDevices } from "./devices.js";
import { onUser, signedOut } from "./session.js";
import { $, actionButton, element, notify, onClick } from "./ui.js";
import { browserText, dateText } from "./words.js";
function item(session) {
    const name = browserText(session.userAgent);
    const details = [`signed in on ${dateText(session.createdAt)}`, session.lastSeenAt === null ? null : `last active on ${dateText(session.lastSeenAt)}`, session.ip]
        .filter((part) => part !== null).join(' · ');
    const label = element('span', {}, element('strong', {}, name), session.current ? element('span', { class: 'badge ok' }, 'This browser') : '', element('br'), element('small', {}, details));
    const end = session.current
        ? actionButton('Sign out', async () => { await auth.signOut(); signedOut('Signed out.'); })
        : actionButton('End', async () => { await endSession(session); }, { 'aria-label': `End the session of ${name}, signed in ${dateText(session.createdAt)}` });
    return element('li', { 'data-id': session.id, ...(session.current ? { 'data-current': '' } : {}) }, label, end);
}
async function endSession(session) {
    const ended = await auth.revokeSession({ id: session.id });
    await load();
    notify(ended === true ? `${browserText(session.userAgent)} is signed out.` : 'That session had ended already.');
}
export async function load() {
    const sessions = await auth.sessions();
    $('#sessions-list').replaceChildren(...sessions.map(item));
    $('#end-other-sessions').hidden = !sessions.some((session) => !session.current);
    await loadDevices();
}
onUser((user) => {
    if (user === null) {
        $('#sessions-list').replaceChildren();
        clearDevices();
    }
    else
        load().catch(() => { });
});
onClick('#end-other-sessions', async () => {
    const ended = await auth.revokeOtherSessions();
    await load();
    notify(ended === 1 ? 'One other session was signed out.' : `${ended ?? 0} other sessions were signed out.`);
});
onClick('#refresh-sessions', load);

// Compiled from examples/spa/src/account-activity.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { onUser } from "./session.js";
import { $, element } from "./ui.js";
import { browserText, dateText, eventText, methodText } from "./words.js";
function item(event) {
    const how = methodText(event.method);
    const where = [event.userAgent === null ? null : browserText(event.userAgent), event.ip].filter((part) => part !== null).join(' · ');
    return element('li', { 'data-type': event.type, class: event.type === 'sign-in-failed' ? 'warn' : '' }, element('span', {}, element('strong', {}, eventText(event.type)), how === null ? '' : ` ${how}`, element('br'), element('small', {}, [dateText(event.at), where].filter((part) => part !== '').join(' · '))));
}
export async function load() {
    const events = await auth.securityEvents({ first: 20 });
    $('#activity-list').replaceChildren(...events.map(item));
    $('#activity-empty').hidden = events.length > 0;
}
onUser((user) => {
    if (user === null)
        $('#activity-list').replaceChildren();
    else
        load().catch(() => { });
});

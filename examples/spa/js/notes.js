// Compiled from examples/spa/src/notes.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The notes of an app that serves this page and has its own REST API behind the same session
// (examples/app: GET and POST /api/notes). The page asks only when its server says it has one
// (<meta name="notes-api">); the auth server alone has no notes, and the section stays hidden.
import { AuthError } from './client/index.js';
import { api, PageError } from "./auth.js";
import { onUser } from "./session.js";
import { $, onSubmit } from "./ui.js";
/** The notes API's path, from the page's server, or null. */
const notesApi = document.querySelector('meta[name=notes-api]')?.content ?? null;
/** Calls the notes API with the session cookies; null when there is none (404) or no session (401). */
async function notesRequest(init = {}) {
    if (notesApi === null)
        return null;
    let response;
    try {
        response = await fetch(`${api}${notesApi}`, { ...init, credentials: 'include' });
    }
    catch {
        throw new PageError('NETWORK_ERROR', `Cannot reach ${api}${notesApi}`);
    }
    if (response.status === 404 || response.status === 401)
        return null;
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        // Ours answer `{ error: CODE }`; Fastify's validation answers 400 with a message.
        const code = response.status === 400 ? 'BAD_USER_INPUT' : /^[A-Z_]+$/.test(body.error ?? '') ? body.error : 'INTERNAL_SERVER_ERROR';
        throw new AuthError(code, body.message ?? `Unexpected answer (HTTP ${response.status})`);
    }
    return body;
}
function drawNotes(notes) {
    $('#notes').hidden = notes === null;
    $('#notes-list').replaceChildren(...(notes?.notes ?? []).map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
    }));
}
// Signed in: the user's notes; signed out: the section hidden, the notes forgotten.
onUser((user) => {
    if (user === null)
        drawNotes(null);
    else
        notesRequest().then(drawNotes, () => { });
});
onSubmit('notes', async ({ text }) => {
    drawNotes(await notesRequest({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text })
    }));
});

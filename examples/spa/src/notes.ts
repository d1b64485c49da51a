// The notes of an app that serves this page and has its own REST API behind the same session
// (examples/app: GET and POST /api/notes). The page asks only when its server says it has one
// (<meta name="notes-api">); the auth server alone has no notes, and the section stays hidden.
import { AuthError } from 'cognito-graphql-auth/client'
import { api, PageError } from './auth.ts'
import { onUser } from './session.ts'
import { $, onSubmit } from './ui.ts'

/** What /api/notes answers: whose notes, and the notes. */
interface Notes {
  owner: string
  notes: string[]
}

/** The notes API's path, from the page's server, or null. */
const notesApi = document.querySelector<HTMLMetaElement>('meta[name=notes-api]')?.content ?? null

/** Calls the notes API with the session cookies; null when there is none (404) or no session (401). */
async function notesRequest (init: RequestInit = {}): Promise<Notes | null> {
  if (notesApi === null) return null
  let response: Response
  try {
    response = await fetch(`${api}${notesApi}`, { ...init, credentials: 'include' })
  } catch {
    throw new PageError('NETWORK_ERROR', `Cannot reach ${api}${notesApi}`)
  }
  if (response.status === 404 || response.status === 401) return null
  const body = await response.json().catch(() => ({})) as Partial<Notes> & { error?: string, message?: string }
  if (!response.ok) {
    // Ours answer `{ error: CODE }`; Fastify's validation answers 400 with a message.
    const code = response.status === 400 ? 'BAD_USER_INPUT' : /^[A-Z_]+$/.test(body.error ?? '') ? body.error as AuthError['code'] : 'INTERNAL_SERVER_ERROR'
    throw new AuthError(code, body.message ?? `Unexpected answer (HTTP ${response.status})`)
  }
  return body as Notes
}

function drawNotes (notes: Notes | null): void {
  $('#notes').hidden = notes === null
  $('#notes-list').replaceChildren(...(notes?.notes ?? []).map((text) => {
    const item = document.createElement('li')
    item.textContent = text
    return item
  }))
}

// Signed in: the user's notes; signed out: the section hidden, the notes forgotten.
onUser((user) => {
  if (user === null) drawNotes(null)
  else notesRequest().then(drawNotes, () => {})
})

onSubmit('notes', async ({ text }) => {
  drawNotes(await notesRequest({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text })
  }))
})

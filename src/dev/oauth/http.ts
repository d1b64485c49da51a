// The small HTTP vocabulary of the managed-login endpoints (node:http, no framework): query and
// form parameters, cookies, redirects, JSON answers and the error page a browser is shown.
import { createHash } from 'node:crypto'
import type http from 'node:http'

/** Forms and token requests are a few hundred bytes; more is refused. */
const MAX_FORM_BYTES = 64 * 1024

export const query = (req: http.IncomingMessage): URLSearchParams => new URL(req.url ?? '/', 'http://emulator').searchParams

/** A parameter given once and not empty; undefined otherwise (a repeated parameter is as good as none, RFC 6749 §3.1). */
export function single (params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name)
  return values.length === 1 && values[0] !== '' ? values[0] : undefined
}

/** An application/x-www-form-urlencoded body; undefined when it is another type or too large. */
export async function readForm (req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= MAX_FORM_BYTES) chunks.push(chunk)
  }
  if (type !== 'application/x-www-form-urlencoded' || size > MAX_FORM_BYTES) return undefined
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/** The request's cookies by name (the first of a repeated name). */
export function cookies (req: http.IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>()
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at < 1) continue
    const name = pair.slice(0, at).trim()
    if (!jar.has(name)) jar.set(name, decodeURIComponent(pair.slice(at + 1).trim()))
  }
  return jar
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure (browsers take Secure cookies from http://localhost). */
export const cookie = (name: string, value: string, path: string, maxAgeSeconds: number): string =>
  `${name}=${encodeURIComponent(value)}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`

/** `url` with `params` added to its query (undefined values left out). */
export function withParams (url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(params)) if (value !== undefined) target.searchParams.append(name, value)
  return target.href
}

export function redirect (res: http.ServerResponse, location: string, setCookies: string[] = []): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', ...(setCookies.length > 0 ? { 'set-cookie': setCookies } : {}) }).end()
}

export function sendJson (res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body))
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/** A whole HTML page, framed by no one and running no script. */
export function sendPage (res: http.ServerResponse, status: number, title: string, body: string, setCookies: string[] = []): void {
  res.writeHead(status, {
    'content-type': 'text/html;charset=UTF-8',
    'cache-control': 'no-store',
    // No form-action: Chromium applies it to the redirects after a submit, and DevIdP's form ends at the app.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    ...(setCookies.length > 0 ? { 'set-cookie': setCookies } : {})
  }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;margin-top:.2rem}</style>' +
    `</head><body>${body}</body></html>`)
}

/** The error page the managed login shows where it must not redirect (unknown client, unregistered URL): never a redirect. */
export function sendErrorPage (res: http.ServerResponse, error: string, description: string, status = 400): void {
  sendPage(res, status, 'An error was encountered', `<h1>An error was encountered with the requested page.</h1><p><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>`)
}

export { escapeHtml }

/** PKCE S256: BASE64URL(SHA-256(verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url')

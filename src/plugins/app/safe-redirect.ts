/**
 * Where a browser may be sent after a federated sign-in or sign-out: a path on this origin, and
 * nothing a browser could read as another origin. Anything else becomes `/`.
 */

/** Longer than any path of an app; a longer `redirect` is refused rather than carried in a cookie. */
const MAX_LENGTH = 2048
/** Percent-decoding rounds checked: a value still encoded after these is refused. */
const MAX_DECODES = 3
const FALLBACK = '/'
const BASE = 'http://origin.invalid'

/**
 * Whether one form of a path is plainly local: a single leading `/` (not `//`, which is
 * scheme-relative, nor `/\`, which browsers read as `//`), and no backslash, control character
 * (browsers drop tabs and newlines, so `/\t/evil.example` is `//evil.example`) or whitespace.
 */
function plainlyLocal (path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !/[\\\s\p{Cc}]/u.test(path)
}

/**
 * `value` when it is a relative path on this origin in every decoded form, as an ASCII path
 * (with its query and fragment) for a `Location` header; `/` for anything else (see localPath).
 */
export function safeRedirect (value: unknown): string {
  return localPath(value) ?? FALLBACK
}

/**
 * `value` as a path of this origin, or undefined for anything else: another origin, a scheme,
 * `//host`, `/\host`, their percent-encoded forms, control characters, malformed encoding, a
 * path that normalises into `//host` (`/..//host`), or no value at all.
 */
export function localPath (value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined
  let form = value
  for (let round = 0; ; round++) {
    if (!plainlyLocal(form)) return undefined
    let decoded: string
    try {
      decoded = decodeURIComponent(form)
    } catch {
      return undefined
    }
    if (decoded === form) break
    if (round === MAX_DECODES) return undefined
    form = decoded
  }
  // The URL parser's reading, which is the browser's: same origin, and still plainly local once
  // dot segments are resolved (`/a/..//evil.example` resolves to `//evil.example`).
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return undefined
  }
  const path = url.pathname + url.search + url.hash
  return url.origin === BASE && plainlyLocal(path) ? path : undefined
}

/** `path` (already safe) with `?error=<reason>` added to its query, so the page can say what failed. */
export function withError (path: string, reason: string): string {
  const url = new URL(path, BASE)
  url.searchParams.set('error', reason)
  return url.pathname + url.search + url.hash
}

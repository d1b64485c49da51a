// A browser's cookie jar for the tests' clients: Set-Cookie lines parsed in this one place, a Cookie header out.

/** One Set-Cookie line, as a browser reads it: its name, value and attributes (names lower-cased). */
export interface SetCookie {
  name: string
  value: string
  attributes: Map<string, string>
}

/** Reads one Set-Cookie line. */
export function parseSetCookie (line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';').map((part) => part.trim())
  const at = pair.indexOf('=')
  const attributes = new Map<string, string>()
  for (const attribute of rest) {
    const eq = attribute.indexOf('=')
    if (eq === -1) attributes.set(attribute.toLowerCase(), '')
    else attributes.set(attribute.slice(0, eq).trim().toLowerCase(), attribute.slice(eq + 1).trim())
  }
  return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes }
}

/** Whether a Set-Cookie line clears its cookie: an empty value, Max-Age=0 (or less), or an expiry in the past. */
function clears ({ value, attributes }: SetCookie): boolean {
  const maxAge = attributes.get('max-age')
  const expires = attributes.get('expires')
  return value === '' || (maxAge !== undefined && Number(maxAge) <= 0) || (maxAge === undefined && expires !== undefined && Date.parse(expires) <= Date.now())
}

/** Cookie name → value for one site (these tests ignore paths), as a browser keeps them. */
export class CookieJar extends Map<string, string> {
  /** Stores what Set-Cookie says (one line, several, or none), deleting the cookies it clears. */
  store (lines: string | string[] | undefined): void {
    for (const line of lines === undefined ? [] : ([] as string[]).concat(lines)) {
      const cookie = parseSetCookie(line)
      if (clears(cookie)) this.delete(cookie.name)
      else this.set(cookie.name, cookie.value)
    }
  }

  /** The Cookie header a browser sends with this jar ('' when empty). */
  header (): string {
    return [...this].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** The jar a Cookie header describes ('a=1; b=2'). */
  static fromHeader (cookie: string): CookieJar {
    return new CookieJar(cookie.split(';').map((pair) => pair.trim()).filter((pair) => pair !== '').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  }

  /** A copy (another tab's snapshot of the cookies). */
  copy (): CookieJar {
    return new CookieJar(this)
  }
}

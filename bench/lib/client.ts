// The bench's client: GraphQL over fetch with a cookie jar, as a browser would send it, and the
// operations the bench sends.

export const PASSWORD = 'Bench-Password-1'
export const ME_QUERY = '{ me { id email } }'
export const ME = JSON.stringify({ query: ME_QUERY })
export const SIGN_UP = 'mutation ($email: String!, $password: String!) { signUp(input: { email: $email, password: $password }) { userConfirmed } }'
export const CONFIRM_SIGN_UP = 'mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }'
export const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { __typename ... on Session { expiresAt } } }'
export const REFRESH = 'mutation { refreshSession { expiresAt } }'

export type Jar = Map<string, string>
export const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

/** Takes the cookies a response sets into `jar` (a cleared one leaves it). */
export function absorb (jar: Jar, setCookies: readonly string[]): void {
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    const name = pair.slice(0, pair.indexOf('=')).trim()
    const value = pair.slice(pair.indexOf('=') + 1).trim()
    if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name)
    else jar.set(name, value)
  }
}

/** POST /graphql with the jar's cookies; the cookies the answer sets go into the jar. */
export async function gql (url: string, query: string, variables: Record<string, unknown> = {}, jar: Jar = new Map()) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(jar.size > 0 ? { cookie: cookieHeader(jar) } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000)
  })
  absorb(jar, response.headers.getSetCookie())
  const text = await response.text()
  return { status: response.status, text, data: (JSON.parse(text) as { data?: Record<string, any> }).data, jar }
}

/** A new session of `email` on the server at `url`: its cookies. */
export async function signIn (url: string, email: string): Promise<Jar> {
  const { data, text, jar } = await gql(url, SIGN_IN, { email, password: PASSWORD })
  if (data?.signIn?.__typename !== 'Session') throw new Error(`signIn at ${url} failed: ${text}`)
  return jar
}

/** Milliseconds `fn` takes. */
export async function timed (fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

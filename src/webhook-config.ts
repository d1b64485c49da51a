// WEBHOOK_URLS and WEBHOOK_SECRET, read and checked: where the app's events go, and what signs them.

/** Where the app's events are POSTed, and the secrets that sign them (newest first). */
export interface WebhookConfig {
  urls: string[]
  /** `whsec_<base64>`: every delivery carries one signature per secret, so receivers can rotate. */
  secrets: string[]
}

/** Standard Webhooks' secrets: `whsec_` and base64; 24 bytes is the least a signing key should have. */
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/
const MIN_SECRET_BYTES = 24

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)

/** Why `url` cannot receive webhooks, or undefined when it can. */
function urlProblem (url: string, production: boolean): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `WEBHOOK_URLS: ${url} is not a URL`
  }
  if (parsed.protocol === 'https:') return undefined
  if (parsed.protocol === 'http:' && !production && isLoopbackHost(parsed.hostname)) return undefined
  // Events carry who signed up and who left: they travel encrypted, except to this machine while developing.
  return `WEBHOOK_URLS: ${url} is not https (http is accepted only to a loopback address, outside production)`
}

/** Whether `secret` is Standard Webhooks' `whsec_` and the canonical base64 of at least 24 bytes. */
function isSecret (secret: string): boolean {
  const base64 = SECRET.exec(secret)?.[1]
  if (base64 === undefined) return false
  const key = Buffer.from(base64, 'base64')
  return key.length >= MIN_SECRET_BYTES && key.toString('base64') === base64
}

/**
 * The webhook configuration; each problem (named by its variable, never showing a secret) is
 * pushed to `problems`, which the caller turns into one ConfigError.
 */
export function webhooksOf (env: { WEBHOOK_URLS: string, WEBHOOK_SECRET?: string }, production: boolean, problems: string[]): WebhookConfig {
  const urls = env.WEBHOOK_URLS.split(',').map((url) => url.trim()).filter(Boolean)
  const secrets = (env.WEBHOOK_SECRET ?? '').split(',').map((secret) => secret.trim()).filter(Boolean)
  for (const url of urls) {
    const problem = urlProblem(url, production)
    if (problem !== undefined) problems.push(problem)
  }
  const twice = urls.find((url, index) => urls.indexOf(url) !== index)
  if (twice !== undefined) problems.push(`WEBHOOK_URLS: ${twice} is listed twice`)
  secrets.forEach((secret, index) => {
    if (!isSecret(secret)) problems.push(`WEBHOOK_SECRET: secret ${index + 1} of ${secrets.length} is not whsec_ followed by the base64 of at least ${MIN_SECRET_BYTES} bytes`)
  })
  if (urls.length > 0 && secrets.length === 0) {
    problems.push('WEBHOOK_URLS needs WEBHOOK_SECRET: whsec_ and the base64 of at least 24 random bytes (node -e "console.log(\'whsec_\' + crypto.randomBytes(32).toString(\'base64\'))")')
  }
  return { urls, secrets }
}

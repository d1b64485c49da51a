// Development only: a warning per cross-site origin whose cookies a browser would not send.
import { isIP } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/** Origins warned about per process, at most: a page can send any number of them. */
const MAX_WARNED = 100

const unbracket = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1')

const isLoopbackName = (hostname: string): boolean => {
  const host = unbracket(hostname)
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))
}

/**
 * The site of a host as a browser weighs SameSite: an IP address is its own site, a name counts
 * by its last two labels. Without the public suffix list `a.co.uk` and `b.co.uk` pass for one
 * site: a hint missed, never a false one. The port never counts, nor (here) the scheme: behind a
 * TLS proxy this server may not know the scheme its clients used.
 */
export function siteOf (hostname: string): string {
  const host = unbracket(hostname).toLowerCase()
  return isIP(host) !== 0 ? host : host.split('.').slice(-2).join('.')
}

/** The origin with `localhost` for its host. */
const onLocalhost = (url: URL): string => {
  const copy = new URL(url.origin)
  copy.hostname = 'localhost'
  return copy.origin
}

/**
 * What to do about a page at `origin` (an Origin header) calling this server at `server`, or
 * undefined when they are one site and the browser sends the session cookies.
 */
export function crossSiteHint (origin: string, server: URL, corsOrigins: readonly string[]): string | undefined {
  if (origin === 'null') {
    return `a page with an opaque origin (a file:// page or a sandboxed frame) calls ${server.origin}: the browser sends it no session cookie. Serve the page over http from ${server.origin} (or another port of ${server.hostname}) and list its origin in CORS_ORIGINS`
  }
  let page: URL
  try {
    page = new URL(origin)
  } catch {
    return undefined
  }
  if (siteOf(page.hostname) === siteOf(server.hostname)) return undefined
  const problem = `requests from ${page.origin} are cross-site to this server (${server.origin}): the browser sends them no SameSite session cookie, so every session looks signed out.`
  if (isLoopbackName(page.hostname) && isLoopbackName(server.hostname)) {
    const app = onLocalhost(page)
    const api = onLocalhost(server)
    const cors = app !== api && !corsOrigins.includes(app) ? ` and start the server with CORS_ORIGINS=${app}` : ''
    return `${problem} Use one host name on both sides: open the app at ${app}, call the API at ${api}${cors}, so the browser sends the session cookies`
  }
  return `${problem} Serve the app from the API's site (${siteOf(server.hostname)}, another port or subdomain) and list its origin in CORS_ORIGINS, or put both behind one origin`
}

/**
 * Development only: one warning per Origin whose requests to /graphql are cross-site, naming the
 * fix. A browser withholds SameSite cookies from them without a word, and the app just looks
 * signed out (`localhost:5173` calling `127.0.0.1:3000` is the usual case).
 */
async function devHints (fastify: FastifyInstance): Promise<void> {
  if (fastify.config.production) throw new Error('development hints are not for production')
  const warned = new Set<string>()
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    const origin = request.headers.origin
    if (origin === undefined || request.routeOptions.url !== '/graphql' || warned.has(origin) || warned.size >= MAX_WARNED) return
    let server: URL
    try {
      server = new URL(`${request.protocol}://${request.host}`)
    } catch {
      return
    }
    const hint = crossSiteHint(origin, server, fastify.config.corsOrigins)
    if (hint === undefined) return
    warned.add(origin)
    request.log.warn({ origin, server: server.origin }, hint)
  })
}

export default fp(devHints, { name: 'dev-hints', dependencies: ['config'] })

// The server's cookies: their names and attributes, and sealed cookies bound to a purpose.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CookieSerializeOptions } from '@fastify/cookie'
import type { Sealer } from '../../seal.ts'
import { nowSeconds } from '../../time.ts'

/** How the server's cookies are set (COOKIE_SECURE, COOKIE_SAMESITE). */
export interface CookieSettings {
  secure: boolean
  sameSite: 'strict' | 'lax' | 'none'
}

/**
 * The server's own cookies: `__Host-` names when secure (no subdomain can set or read them),
 * httpOnly, the whole site, and never in a cache.
 */
export function cookieJar ({ secure, sameSite }: CookieSettings) {
  const prefix = secure ? '__Host-' : ''
  const attributes: CookieSerializeOptions = { httpOnly: true, secure, sameSite, path: '/' }
  return {
    /** The full name of cookie `name`, prefix included. */
    name: (name: string): string => `${prefix}${name}`,

    set (reply: FastifyReply, fullName: string, value: string, maxAge: number): void {
      reply.setCookie(fullName, value, { ...attributes, maxAge })
      reply.header('cache-control', 'no-store')
    },

    clear (reply: FastifyReply, fullName: string): void {
      this.set(reply, fullName, '', 0)
    }
  }
}

/** The server's cookie names and attributes (see cookieJar). */
export type CookieJar = ReturnType<typeof cookieJar>

/** One sealed cookie: its name, the purpose its seal is bound to, its lifetime and its binding. */
export interface SealedCookieOptions<T, B> {
  jar: CookieJar
  sealer: Sealer
  /** The cookie's name, without the prefix. */
  name: string
  /** What the seal is bound to: a value sealed for one purpose never opens as another. */
  purpose: string
  /** Seconds a value lives when it is written without an `exp` of its own. */
  ttl: number
  /** Whether a value still belongs to `binding` (a user, an account): a value that does not is no value. */
  bind?: (value: T, binding: B) => boolean
  /** Pads the sealed value to a multiple of this many bytes: its length tells nothing of what it holds. */
  padTo?: number
}

/** The arguments `read` takes after the request: the binding, for a cookie that has one. */
type Binding<B> = [B] extends [void] ? [] : [binding: B]

/**
 * A value of type T carried by the client in a sealed cookie (see seal.ts): unreadable and
 * unalterable to it, valid until the `exp` it carries (epoch seconds), and bound to whatever
 * `bind` checks. Every sealed cookie of the server is one of these.
 */
export function sealedCookie<T extends { exp: number }, B = void> (options: SealedCookieOptions<T, B>) {
  const { jar, sealer, purpose, ttl, bind, padTo } = options
  const name = jar.name(options.name)

  /** The value as sealed, if it was sealed by us for this purpose and has not expired. */
  function open (request: FastifyRequest): T | undefined {
    const value = sealer.unseal<T>(purpose, request.cookies[name])
    return value !== undefined && value.exp > nowSeconds() ? value : undefined
  }

  return {
    name,

    /** Seals `value` until its `exp` (`ttl` from now when it has none) and sets the cookie for as long. */
    write (reply: FastifyReply, value: Omit<T, 'exp'> & { exp?: number }): T {
      const now = nowSeconds()
      const sealed = { ...value, exp: value.exp ?? now + ttl } as T
      jar.set(reply, name, sealer.seal(purpose, sealed, { padTo }), Math.max(0, sealed.exp - now))
      return sealed
    },

    /** The value, when the cookie holds one that was sealed for this purpose, has not expired and belongs to the binding. */
    read (request: FastifyRequest, ...binding: Binding<B>): T | undefined {
      const value = open(request)
      if (value === undefined || bind === undefined) return value
      return bind(value, binding[0] as B) ? value : undefined
    },

    /** The value before its binding is checked: what to find the binding by (the user a device names). */
    open,

    /** Whether the request carries the cookie at all, valid or not. */
    sent: (request: FastifyRequest): boolean => request.cookies[name] !== undefined,

    clear (reply: FastifyReply): void {
      jar.clear(reply, name)
    }
  }
}

/** A sealed cookie carrying T, read against a binding B (see sealedCookie). */
export type SealedCookie<T extends { exp: number }, B = void> = ReturnType<typeof sealedCookie<T, B>>

// Where revocations live: the store's interface, and process memory for one instance.
import { nowSeconds } from '../../time.ts'

/**
 * Where revocations live. Two primitives, both expiring: a set of denied (or admitted) keys,
 * and a per-user "not before" second; beside them, one-time claims, which are written and read
 * once each and so never need to be anywhere but the store itself. The memory store serves one
 * instance; a shared store (Redis, revocation-redis.ts) implements the same interface for several.
 */
export interface RevocationStore {
  /** Remembers `key` until `until` (epoch seconds). */
  add (key: string, until: number): Promise<void>
  has (key: string): Promise<boolean>
  /** Claims `key` until `until` unless it is claimed already; true when this call claimed it (atomic). */
  claim (key: string, until: number): Promise<boolean>
  /** Gives a claim back. */
  release (key: string): Promise<void>
  /** Records that every token of `sub` issued at or before `second` is void, until `until`. */
  setNotBefore (sub: string, second: number, until: number): Promise<void>
  notBefore (sub: string): Promise<number | undefined>
  close (): Promise<void>
}

/** Process memory; expired entries are swept once a minute. */
export function createMemoryRevocationStore (): RevocationStore {
  const keys = new Map<string, number>()
  const claims = new Map<string, number>()
  const marks = new Map<string, { second: number, until: number }>()
  const sweep = setInterval(() => {
    const now = nowSeconds()
    for (const map of [keys, claims]) for (const [key, until] of map) if (until <= now) map.delete(key)
    for (const [sub, mark] of marks) if (mark.until <= now) marks.delete(sub)
  }, 60_000)
  sweep.unref()

  return {
    async add (key, until) {
      keys.set(key, Math.max(until, keys.get(key) ?? 0))
    },
    async has (key) {
      const until = keys.get(key)
      return until !== undefined && until > nowSeconds()
    },
    async claim (key, until) {
      // Checked and set with no await in between: two claims of one code cannot both win.
      const current = claims.get(key)
      if (current !== undefined && current > nowSeconds()) return false
      claims.set(key, until)
      return true
    },
    async release (key) {
      claims.delete(key)
    },
    async setNotBefore (sub, second, until) {
      const current = marks.get(sub)
      marks.set(sub, { second: Math.max(second, current?.second ?? 0), until: Math.max(until, current?.until ?? 0) })
    },
    async notBefore (sub) {
      const mark = marks.get(sub)
      return mark !== undefined && mark.until > nowSeconds() ? mark.second : undefined
    },
    async close () {
      clearInterval(sweep)
    }
  }
}

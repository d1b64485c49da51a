// A Have I Been Pwned–compatible range API over a list of passwords: development's stand-in, and the tests'.
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { COMMON_PASSWORDS } from './data/common-passwords.ts'

/** Range suffixes (35 hex characters) and counts, by five-character prefix. */
export type RangeIndex = Map<string, Array<[string, number]>>

/** HIBP pads every answer to between 800 and 1,000 lines; so does the stand-in, with counts of 0. */
const PADDED_LINES = [800, 1000] as const

/** The index of `passwords` (a password and how often it was seen). */
export function rangeIndex (passwords: Iterable<[string, number]>): RangeIndex {
  const index: RangeIndex = new Map()
  for (const [password, count] of passwords) {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase()
    const prefix = hash.slice(0, 5)
    index.set(prefix, [...(index.get(prefix) ?? []), [hash.slice(5), count]])
  }
  return index
}

/** The development list (src/dev/data/common-passwords.ts), indexed once on first use. */
let common: RangeIndex | undefined
export function commonPasswordsIndex (): RangeIndex {
  common ??= rangeIndex(COMMON_PASSWORDS.trim().split('\n').map((line) => {
    const [password, count] = line.split(' ')
    return [password as string, Number(count)]
  }))
  return common
}

/** The body of `GET /range/{prefix}`: `SUFFIX:COUNT` lines, padded with made-up suffixes of count 0 when asked. */
export function rangeBody (index: RangeIndex, prefix: string, padding: boolean): string {
  const lines = (index.get(prefix.toUpperCase()) ?? []).map(([suffix, count]) => `${suffix}:${count}`)
  if (padding) {
    const total = randomInt(PADDED_LINES[0], PADDED_LINES[1] + 1)
    while (lines.length < total) lines.push(`${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:0`)
  }
  return lines.join('\r\n')
}

/** Whether `prefix` is what the range API takes: exactly five hex characters. */
export const isRangePrefix = (prefix: string): boolean => /^[0-9A-Fa-f]{5}$/.test(prefix)

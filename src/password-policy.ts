// A pool's password policy and the rules AWS applies with it: `npm run provision` creates pools
// with PASSWORD_POLICY, and the embedded emulator enforces it (src/dev/rules/passwords.ts).
import { randomInt } from 'node:crypto'

/** The subset of a pool's PasswordPolicy that AWS checks on every password it is given. */
export interface PasswordPolicy {
  MinimumLength?: number
  RequireUppercase?: boolean
  RequireLowercase?: boolean
  RequireNumbers?: boolean
  RequireSymbols?: boolean
}

/**
 * The password policy a pool for this server has: 8+ characters with upper and lower case and
 * digits. `npm run provision` creates pools with it, and the embedded emulator enforces it.
 */
export const PASSWORD_POLICY = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 7 }

// The characters AWS counts as symbols.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/

/** AWS's InvalidPasswordException message for the first rule `password` breaks, or undefined. */
export function passwordPolicyViolation (policy: PasswordPolicy | undefined, password: string): string | undefined {
  const rule =
    password.length < (policy?.MinimumLength ?? 8)
      ? 'Password not long enough'
      : policy?.RequireUppercase === true && !/[A-Z]/.test(password)
        ? 'Password must have uppercase characters'
        : policy?.RequireLowercase === true && !/[a-z]/.test(password)
          ? 'Password must have lowercase characters'
          : policy?.RequireNumbers === true && !/[0-9]/.test(password)
            ? 'Password must have numeric characters'
            : policy?.RequireSymbols === true && !SYMBOL.test(password)
              ? 'Password must have symbol characters'
              : undefined
  return rule === undefined ? undefined : `Password did not conform with policy: ${rule}`
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const LOWER = 'abcdefghijkmnopqrstuvwxyz'
const DIGITS = '23456789'

/** A temporary password that meets `policy`, as AWS makes one up when an administrator gives none. */
export function temporaryPassword (policy: PasswordPolicy | undefined): string {
  const pick = (chars: string) => chars[randomInt(chars.length)] as string
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick('!#%+-=')]
  while (chars.length < Math.max(12, policy?.MinimumLength ?? 8)) chars.push(pick(UPPER + LOWER + DIGITS))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}

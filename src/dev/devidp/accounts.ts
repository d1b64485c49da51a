// The DevIdP's users: whoever types an email is that user. No password: the DevIdP exists to
// show federated sign-in offline, not to authenticate anyone (it lives only in development).
import { createHash } from 'node:crypto'
import type { Account } from 'oidc-provider'

/** What the sign-in form asked for. */
export interface DevIdpProfile {
  email: string
  name: string
  emailVerified: boolean
}

/** A loose check that `text` looks like an email address (the DevIdP accepts any). */
export const looksLikeEmail = (text: string): boolean => text.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(text)

/** The DevIdP's accounts, by subject: the same email is the same subject, across restarts too. */
export class DevIdpAccounts {
  private readonly profiles = new Map<string, DevIdpProfile>()

  /** The subject of an email: a hash of it, lower-cased, so that it is stable and reveals nothing. */
  static subjectOf (email: string): string {
    return createHash('sha256').update(`devidp:${email.toLowerCase()}`).digest('hex').slice(0, 32)
  }

  /** Records what the form said and answers the subject. */
  signIn (profile: DevIdpProfile): string {
    const sub = DevIdpAccounts.subjectOf(profile.email)
    this.profiles.set(sub, profile)
    return sub
  }

  /** oidc-provider's findAccount: the claims of a subject that signed in here. */
  find (sub: string): Account | undefined {
    const profile = this.profiles.get(sub)
    if (profile === undefined) return undefined
    return {
      accountId: sub,
      claims: () => ({ sub, email: profile.email, email_verified: profile.emailVerified, name: profile.name })
    }
  }
}

// The audit event catalogue: every name an audit event can have, in one place, as src/errors.ts keeps the error codes.

/**
 * Every audit event, by name, with what it records (docs/operations.md lists the same names, and
 * test/architecture.test.ts holds the list to this one). An event's other fields: src/plugins/app/audit.ts.
 */
export const AUDIT_EVENTS = {
  'sign-up': 'an account was created (signUp)',
  'sign-up-confirmed': 'a sign-up was confirmed with its code',
  'sign-in': 'a sign-in step: a session started, a challenge asked, or a refusal',
  'federated-sign-in': 'a sign-in through an identity provider (/auth/oauth/*), with its provider',
  refresh: 'a session refreshed, explicitly or transparently',
  'refresh-token-reused': 'a refresh token already rotated was presented again: the session is ended',
  'sign-out': 'a session ended by its user (signOut, /auth/oauth/logout)',
  'session-revoked': 'one of the user\'s sessions ended by the user',
  'sessions-revoked': 'the user\'s other sessions ended',
  'password-changed': 'the password changed by its user',
  'password-reset-requested': 'a password reset code was asked for',
  'password-reset': 'a password reset with its code',
  'password-breached': 'a chosen password was refused as breached',
  'mfa-changed': 'a second factor set up, turned on or off, or preferred',
  'passkey-added': 'a passkey registered',
  'passkey-removed': 'a passkey removed, by its user or by the review after a compromise',
  'device-remembered': 'a device remembered for skipping the second factor',
  'device-forgotten': 'a remembered device forgotten',
  'profile-changed': 'the profile or email changed, or the email verified',
  'account-deleted': 'an account deleted, by its user or an administrator',
  'users-listed': 'an administrator listed the users',
  'account-disabled': 'an administrator disabled an account',
  'account-enabled': 'an administrator enabled an account',
  'groups-changed': 'an administrator added a user to a group or removed one',
  'signed-out-by-admin': 'an administrator ended a user\'s sessions',
  'password-reset-by-admin': 'an administrator reset a user\'s password',
  'rate-limited': 'a call refused by a rate limit',
  captcha: 'a CAPTCHA asked for, refused or passed'
} as const satisfies Readonly<Record<string, string>>

/** The name of an audit event, one of AUDIT_EVENTS. */
export type AuditEventName = keyof typeof AUDIT_EVENTS

// The doctor's verdicts on second factors: TOTP, SMS and email codes after the password, and
// remembered devices — what the pool's MFA configuration offers, and how passkey and emailed-code
// sign-ins meet an account's second factor (docs/security.md).
import { change, firstFactors, mfaSetting, off, onAws, works, type Diagnosis, type Feature } from './feature.ts'
import { judged, mfaUpdate, poolUpdate } from './fixes.ts'

const MFA_READ = ['GetUserPoolMfaConfig'] as const

/**
 * What a second factor means for the pool's other ways in, as docs/security.md says: a passkey
 * signs in past it; an emailed or texted code is no sign-in for an account that has one.
 */
function otherWaysIn (d: Diagnosis): string {
  const factors = firstFactors(d)
  const notes: string[] = []
  if (factors.includes('WEB_AUTHN')) notes.push('passkey sign-ins do not ask for it (a passkey is a strong factor)')
  const codes = [factors.includes('EMAIL_OTP') ? 'emailed' : '', factors.includes('SMS_OTP') ? 'texted' : ''].filter(Boolean)
  if (codes.length > 0) {
    notes.push(`${codes.join(' and ')} code sign-ins are refused for accounts that have it (a stand-in challenge, no code sent: docs/security.md)`)
  }
  return notes.length === 0 ? '' : `; ${notes.join('; ')}`
}

/** MFA off in the pool: every second factor is off until it is OPTIONAL or ON. */
function mfaOff (d: Diagnosis, name: string, enable: string): Feature | undefined {
  if (mfaSetting(d) !== 'OFF' && mfaSetting(d) !== undefined) return undefined
  return off(name, 'the pool\'s MFA is OFF', mfaUpdate(d, enable, 'OPTIONAL'))
}

function totp (d: Diagnosis): Feature {
  const name = 'totp'
  const enable = '--software-token-mfa-configuration Enabled=true'
  return mfaOff(d, name, enable) ?? (d.facts.mfa?.SoftwareTokenMfaConfiguration?.Enabled === true
    ? works(name, `setupTotp and verifyTotp; sign-ins ask for the authenticator's code (MFA ${mfaSetting(d) ?? '?'})${otherWaysIn(d)}`)
    : off(name, 'the pool does not offer TOTP (SoftwareTokenMfaConfiguration)', mfaUpdate(d, enable)))
}

function smsMfa (d: Diagnosis): Feature {
  const name = 'sms-mfa'
  const enable = '--sms-mfa-configuration \'SmsConfiguration={SnsCallerArn=arn:aws:iam::<account>:role/<role Cognito sends SMS as>}\''
  const offMfa = mfaOff(d, name, enable)
  if (offMfa !== undefined) return offMfa
  const sms = d.facts.mfa?.SmsMfaConfiguration
  if (sms === undefined || (onAws(d) && sms.SmsConfiguration?.SnsCallerArn === undefined)) {
    return off(name, 'the pool does not offer SMS codes as a second factor (SmsMfaConfiguration)', mfaUpdate(d, enable))
  }
  const failure = d.facts.pool?.SmsConfigurationFailure
  if (failure !== undefined && failure !== '') return change(name, `Cognito reports the pool's SMS configuration failing: ${failure}`, 'fix the pool\'s SmsConfiguration (describe-user-pool shows SmsConfigurationFailure)')
  return works(name, `texted codes after the password, for users with a verified phone number (MFA ${mfaSetting(d) ?? '?'})${otherWaysIn(d)}`)
}

function emailMfa (d: Diagnosis): Feature {
  const name = 'email-mfa'
  const enable = '--email-mfa-configuration \'Subject=Your sign-in code,Message={####}\''
  const offMfa = mfaOff(d, name, enable)
  if (offMfa !== undefined) return offMfa
  if (d.facts.pool?.UserPoolTier === 'LITE') {
    return off(name, 'the pool is on the Lite feature plan: email codes as a second factor need Essentials or Plus', poolUpdate(d, '--user-pool-tier ESSENTIALS (billed per monthly active user)'))
  }
  if (d.facts.mfa?.EmailMfaConfiguration === undefined) {
    const ses = onAws(d) && d.facts.pool?.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER'
      ? `, after sending the pool's email through Amazon SES: ${poolUpdate(d, '--email-configuration EmailSendingAccount=DEVELOPER,SourceArn=arn:aws:ses:<region>:<account>:identity/<address>')}`
      : ''
    return off(name, 'the pool does not offer email codes as a second factor (EmailMfaConfiguration)', mfaUpdate(d, enable) + ses)
  }
  return works(name, `emailed codes after the password (enableEmailMfa; MFA ${mfaSetting(d) ?? '?'})${otherWaysIn(d)}`)
}

function rememberedDevices (d: Diagnosis): Feature {
  const name = 'remembered-devices'
  const devices = d.facts.pool?.DeviceConfiguration
  const track = '--device-configuration ChallengeRequiredOnNewDevice=true,DeviceOnlyRememberedOnUserPrompt=true'
  if (devices === undefined) return off(name, 'the pool does not track devices (DeviceConfiguration)', poolUpdate(d, track))
  const when = devices.DeviceOnlyRememberedOnUserPrompt === true ? 'when the user asks (rememberDevice, or rememberDevice with the MFA answer)' : 'always'
  const skips = mfaSetting(d) === 'OFF' ? 'the pool has no MFA, so there is nothing to skip' : 'a remembered browser skips the second factor'
  return works(name, `every browser is confirmed with Cognito and remembered ${when}; ${skips}${devices.ChallengeRequiredOnNewDevice === true ? '; a new device always gets the second factor' : ''}`)
}

/** The second-factor verdicts, in the order docs/existing-pools.md lists them. */
export function secondFactorVerdicts (d: Diagnosis): Feature[] {
  return [
    judged(d, 'totp', MFA_READ, () => totp(d)),
    judged(d, 'sms-mfa', MFA_READ, () => smsMfa(d)),
    judged(d, 'email-mfa', [...MFA_READ, 'DescribeUserPool'], () => emailMfa(d)),
    judged(d, 'remembered-devices', ['DescribeUserPool'], () => rememberedDevices(d))
  ]
}

// The doctor's verdicts on signing up and signing in: passwords (USER_PASSWORD_AUTH or SRP), sign-up
// and its pre-registration defence, hidden existence, emailed and texted codes, passkeys, and
// custom challenges — what the server's code needs of the pool and the app client for each.
import { change, CHALLENGE_TRIGGERS, firstFactors, mfaSetting, off, onAws, signInNames, works, type Diagnosis, type Feature } from './feature.ts'
import { allows, flowsUpdate, judged, lookupRefused, mfaUpdate, passwordFlow, poolUpdate } from './fixes.ts'

const POOL_AND_CLIENT = ['DescribeUserPool', 'DescribeUserPoolClient'] as const
const PROVISION = 'sign-in names and required attributes cannot change once a pool is made: use a pool made with email or phone sign-in (npm run provision)'

/** The InitiateAuth flow of each way the server proves a password, and its ALLOW_ name. */
const FLOW_OF = { password: 'USER_PASSWORD_AUTH', srp: 'USER_SRP_AUTH' } as const

function passwordSignIn (d: Diagnosis): Feature {
  const name = 'password-sign-in'
  const names = signInNames(d)
  if (!names.includes('email') && !names.includes('phone')) {
    return change(name, `the pool signs users in by ${names.join(' or ')} only: the server names accounts by email or phone`, PROVISION)
  }
  const flow = passwordFlow(d)
  if (flow === undefined) {
    return change(name, 'the app client allows neither ALLOW_USER_PASSWORD_AUTH nor ALLOW_USER_SRP_AUTH: no password can sign in', flowsUpdate(d))
  }
  if (!allows(d, FLOW_OF[flow])) {
    const other = flow === 'password' ? 'srp' : 'password'
    const instead = allows(d, FLOW_OF[other]) ? `, or COGNITO_PASSWORD_FLOW=${other}` : ''
    return change(name, `COGNITO_PASSWORD_FLOW=${flow} but the app client does not allow ALLOW_${FLOW_OF[flow]}`, flowsUpdate(d) + instead)
  }
  return works(name, `signs in by ${names.join(' or ')} over ${FLOW_OF[flow]} (COGNITO_PASSWORD_FLOW=${d.config.passwordFlow})`)
}

function srpSignIn (d: Diagnosis): Feature {
  const name = 'srp-sign-in'
  const flow = passwordFlow(d)
  if (flow === 'password') {
    const fix = allows(d, 'USER_SRP_AUTH') ? 'COGNITO_PASSWORD_FLOW=srp' : `COGNITO_PASSWORD_FLOW=srp and ${flowsUpdate(d, ' ALLOW_USER_SRP_AUTH')}`
    return off(name, `passwords go to Cognito over USER_PASSWORD_AUTH (COGNITO_PASSWORD_FLOW=${d.config.passwordFlow}${d.config.passwordFlow === 'auto' ? ': the app client allows it' : ''})`, fix)
  }
  if (flow === undefined || !allows(d, 'USER_SRP_AUTH')) return change(name, 'the server would prove passwords by SRP, but the app client does not allow ALLOW_USER_SRP_AUTH', flowsUpdate(d))
  return works(name, 'passwords are proven to Cognito by SRP (USER_SRP_AUTH): they never reach Cognito')
}

/** The attribute the pool verifies sign-ups by: email, or the phone number of a phone-only pool. */
const verifiedBy = (d: Diagnosis): string => signInNames(d).includes('email') || !signInNames(d).includes('phone') ? 'email' : 'phone_number'

/** Sign-up needs the admin look-up first (without it every sign-up fails), then the pool's settings. */
function signUp (d: Diagnosis): Feature {
  const name = 'sign-up'
  const refused = lookupRefused(d, name, 'sign-up\'s pre-registration defence needs AdminGetUser (and AdminDeleteUser, to replace an unconfirmed sign-up): every sign-up fails', ['AdminGetUser', 'AdminDeleteUser'])
  if (refused !== undefined) return refused
  return judged(d, name, ['DescribeUserPool'], () => signUpInPool(d))
}

function signUpInPool (d: Diagnosis): Feature {
  const name = 'sign-up'
  const pool = d.facts.pool
  if (pool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true) {
    return off(name, 'the pool lets only administrators create users (npm run admin -- create-user)', poolUpdate(d, '--admin-create-user-config AllowAdminCreateUserOnly=false'))
  }
  const attribute = verifiedBy(d)
  const verified = pool?.AutoVerifiedAttributes ?? []
  if (!verified.includes(attribute as never)) {
    return change(name, `the pool does not verify ${attribute} by itself (AutoVerifiedAttributes): sign-up sends no code, so confirmSignUp cannot succeed`,
      poolUpdate(d, `--auto-verified-attributes ${[...new Set([...verified, attribute])].join(' ')}`))
  }
  const sent = new Set(['sub', 'email', 'phone_number', 'name'])
  const required = (pool?.SchemaAttributes ?? []).filter((a) => a.Required === true && !sent.has(a.Name ?? '')).map((a) => a.Name)
  if (required.length > 0) return change(name, `the pool requires ${required.join(', ')} at sign-up, which the server does not send: every sign-up fails`, PROVISION)
  return works(name, `codes confirm the ${attribute === 'email' ? 'email' : 'phone number'}; a sign-up replaces an unconfirmed account older than five minutes (AdminGetUser, AdminDeleteUser; docs/security.md)`)
}

function existenceHiding (d: Diagnosis): Feature {
  const name = 'existence-hiding'
  if (d.config.revealUserExistence) return off(name, 'REVEAL_USER_EXISTENCE=true: answers tell whether an account exists', 'unset REVEAL_USER_EXISTENCE')
  return judged(d, name, ['DescribeUserPoolClient'], () => {
    if (d.facts.client?.PreventUserExistenceErrors !== 'ENABLED') {
      return change(name, 'the app client tells unknown users apart (PreventUserExistenceErrors is not ENABLED): the server hides it in its answers, Cognito\'s own managed login and timing do not',
        flowsUpdate(d, ' --prevent-user-existence-errors ENABLED'))
    }
    return lookupRefused(d, name, 'signUp answers alike for every email only after looking it up (AdminGetUser)', ['AdminGetUser']) ?? works(name, 'every answer is the same for an unknown email and for every account state (PreventUserExistenceErrors ENABLED)')
  })
}

/** What each passwordless first factor is called in the verdicts. */
const FACTOR_WORDS: Record<string, string> = { EMAIL_OTP: 'emailed codes', SMS_OTP: 'texted codes', WEB_AUTHN: 'passkeys' }

/**
 * A first factor of choice-based sign-in (USER_AUTH): on the pool's feature plan, in its sign-in
 * policy, and the app client allowing ALLOW_USER_AUTH; `more` adds the factor's own conditions.
 */
function passwordless (d: Diagnosis, name: string, factor: string, more: () => Feature | undefined): Feature {
  return judged(d, name, POOL_AND_CLIENT, () => {
    const words = FACTOR_WORDS[factor] ?? factor
    if (d.facts.pool?.UserPoolTier === 'LITE') {
      return off(name, `the pool is on the Lite feature plan: ${words} need Essentials or Plus`, poolUpdate(d, '--user-pool-tier ESSENTIALS (billed per monthly active user)'))
    }
    const factors = firstFactors(d)
    if (!factors.includes(factor)) {
      return off(name, `the pool's sign-in policy leaves ${factor} out (AllowedFirstAuthFactors: ${factors.join(', ')})`,
        poolUpdate(d, `--policies 'SignInPolicy={AllowedFirstAuthFactors=[${[...factors, factor].join(',')}]}'`))
    }
    if (!allows(d, 'USER_AUTH')) {
      const all = factors.filter((f) => f !== 'PASSWORD').map((f) => FACTOR_WORDS[f] ?? f).join(' and ')
      return change(name, `the client does not allow ALLOW_USER_AUTH: ${all} are off`, flowsUpdate(d))
    }
    return more() ?? works(name, `signIn(method: ${factor === 'WEB_AUTHN' ? 'PASSKEY' : factor === 'EMAIL_OTP' ? 'EMAIL_CODE' : 'SMS_CODE'}) through choice-based sign-in (USER_AUTH)`)
  })
}

/**
 * The pool's way of delivering `factor`'s codes: on AWS, emailed codes need the pool's email sent
 * through Amazon SES and texted ones an SMS configuration; a failure AWS reports is a `change`.
 */
function delivery (d: Diagnosis, name: string, factor: 'EMAIL_OTP' | 'SMS_OTP'): Feature | undefined {
  const pool = d.facts.pool
  if (factor === 'EMAIL_OTP' && onAws(d) && pool?.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER') {
    return change(name, 'the pool sends email with Cognito\'s default account: emailed sign-in codes need Amazon SES',
      poolUpdate(d, '--email-configuration EmailSendingAccount=DEVELOPER,SourceArn=arn:aws:ses:<region>:<account>:identity/<address>'))
  }
  if (factor === 'SMS_OTP' && onAws(d) && pool?.SmsConfiguration?.SnsCallerArn === undefined) {
    return change(name, 'the pool has no SMS configuration: no code can be texted',
      poolUpdate(d, '--sms-configuration SnsCallerArn=arn:aws:iam::<account>:role/<role Cognito sends SMS as>'))
  }
  const setting = factor === 'EMAIL_OTP' ? 'EmailConfiguration' : 'SmsConfiguration'
  const failure = factor === 'EMAIL_OTP' ? pool?.EmailConfigurationFailure : pool?.SmsConfigurationFailure
  if (failure === undefined || failure === '') return undefined
  return change(name, `Cognito reports the pool's ${setting} failing: ${failure}`, `fix the pool's ${setting} (aws cognito-idp describe-user-pool shows ${setting}Failure)`)
}

/** The host a passkey registered through the server belongs to, and whether the pool's relying party may serve it. */
function passkeyOrigin (d: Diagnosis): Feature | undefined {
  const name = 'passkeys'
  const origin = d.config.publicOrigin
  if (origin === undefined) return change(name, 'PUBLIC_ORIGIN is not set: passkeys belong to the host users reach the server at', 'PUBLIC_ORIGIN=https://<the host users reach the server at>')
  const host = new URL(origin).hostname
  const config = d.facts.mfa?.WebAuthnConfiguration
  // AWS: without a relying party set, passkeys belong to the pool's own (managed-login) domain.
  const domain = d.facts.pool?.CustomDomain ?? (d.facts.pool?.Domain === undefined ? undefined : `${d.facts.pool.Domain}.auth.${d.target.region}.amazoncognito.com`)
  const party = config?.RelyingPartyId ?? domain
  const setParty = (verification: string) => `--web-authn-configuration RelyingPartyId=${host},UserVerification=${verification}`
  const verification = config?.UserVerification ?? 'required'
  if (party === undefined) return change(name, `the pool names no WebAuthn relying party: it must be PUBLIC_ORIGIN's host ${host}`, mfaUpdate(d, setParty(verification), mfaSetting(d) ?? 'OFF'))
  // A relying party may be the origin's host or a domain it belongs to (WebAuthn's registrable suffix rule).
  if (host !== party && !host.endsWith(`.${party}`)) {
    return change(name, `the pool's WebAuthn relying party is ${party}, not PUBLIC_ORIGIN's host ${host}`, mfaUpdate(d, setParty(verification), mfaSetting(d) ?? 'OFF'))
  }
  const checks = verification === 'required' ? 'user verification required' : `user verification ${verification} (npm run provision sets required: a passkey replaces a password)`
  return works(name, `signIn(method: PASSKEY) and passkey registration, relying party ${party}, ${checks}`)
}

/** A custom challenge (CUSTOM_AUTH): the pool's three triggers, and the client allowing ALLOW_CUSTOM_AUTH. */
export function customChallenge (d: Diagnosis): Feature {
  const name = 'custom-challenge'
  return judged(d, name, POOL_AND_CLIENT, () => {
    const triggers = d.facts.pool?.LambdaConfig ?? {}
    const present = CHALLENGE_TRIGGERS.filter((t) => triggers[t] !== undefined)
    const lambdaConfig = CHALLENGE_TRIGGERS.map((t) => `${t}=${triggers[t] ?? `arn:aws:lambda:${d.target.region}:<account>:function:<${t}>`}`).join(',')
    if (present.length === 0) return off(name, 'the pool has no custom-challenge triggers (DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse)', poolUpdate(d, `--lambda-config ${lambdaConfig}`))
    if (present.length < CHALLENGE_TRIGGERS.length) {
      return change(name, `the pool has ${present.join(', ')} but not ${CHALLENGE_TRIGGERS.filter((t) => !present.includes(t)).join(', ')}: custom challenges fail`, poolUpdate(d, `--lambda-config ${lambdaConfig}`))
    }
    if (!allows(d, 'CUSTOM_AUTH')) return change(name, 'the pool has the custom-challenge triggers, but the app client does not allow ALLOW_CUSTOM_AUTH', flowsUpdate(d))
    return works(name, 'signIn(method: CUSTOM) runs the pool\'s define, create and verify triggers')
  })
}

/** The sign-up and first-factor verdicts, in the order docs/existing-pools.md lists them (custom-challenge comes after the second factors). */
export function signInVerdicts (d: Diagnosis): Feature[] {
  return [
    judged(d, 'password-sign-in', POOL_AND_CLIENT, () => passwordSignIn(d)),
    judged(d, 'srp-sign-in', ['DescribeUserPoolClient'], () => srpSignIn(d)),
    signUp(d),
    existenceHiding(d),
    passwordless(d, 'email-code', 'EMAIL_OTP', () => delivery(d, 'email-code', 'EMAIL_OTP')),
    passwordless(d, 'sms-code', 'SMS_OTP', () => delivery(d, 'sms-code', 'SMS_OTP')),
    judged(d, 'passkeys', ['GetUserPoolMfaConfig'], () => passwordless(d, 'passkeys', 'WEB_AUTHN', () => passkeyOrigin(d)))
  ]
}

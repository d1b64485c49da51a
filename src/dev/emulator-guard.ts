// Who may talk to the embedded emulator, and to the /dev routes. The emulator's port is an admin
// API: a web page must not reach it (no Origin, loopback Host against DNS rebinding), and the
// operations AWS serves only to IAM principals require the data directory's admin credentials,
// checked as AWS checks them: a SigV4 signature over the request with the secret access key.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { isIPv4, isIPv6 } from 'node:net'
import type { AdminCredentials } from './data-dir.ts'

/** Why a request is refused: an HTTP status and an AWS-style error (`__type`, `message`). */
export interface Refusal {
  status: number
  type: string
  message: string
}

/**
 * The operations AWS serves without IAM credentials (an app client id, a session or the user's
 * own access token is what they check). Every other target, unknown ones included, is an admin
 * operation here.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken', 'ChangePassword', 'CompleteWebAuthnRegistration', 'ConfirmDevice', 'ConfirmForgotPassword',
  'ConfirmSignUp', 'DeleteUser', 'DeleteUserAttributes', 'DeleteWebAuthnCredential', 'ForgetDevice', 'ForgotPassword',
  'GetDevice', 'GetTokensFromRefreshToken', 'GetUser', 'GetUserAttributeVerificationCode', 'GetUserAuthFactors',
  'GlobalSignOut', 'InitiateAuth', 'ListDevices', 'ListWebAuthnCredentials', 'ResendConfirmationCode',
  'RespondToAuthChallenge', 'RevokeToken', 'SetUserMFAPreference', 'SetUserSettings', 'SignUp',
  'StartWebAuthnRegistration', 'UpdateAuthEventFeedback', 'UpdateDeviceStatus', 'UpdateUserAttributes',
  'VerifySoftwareToken', 'VerifyUserAttribute'
])

const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i

/** A `Host` header that names this machine's loopback: localhost, 127.0.0.1 or [::1], any port. */
export function isLoopbackHost (host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host)
}

/** A `Host` header that is an IP address (with any port), not a name. */
function isAddressHost (host: string): boolean {
  const v6 = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(host)
  if (v6 !== null) return isIPv6(v6[1] as string)
  return isIPv4(host.replace(/:\d{1,5}$/, ''))
}

/**
 * The rule of the /dev routes. Loopback names only; with EMULATOR_EXPOSE (the server published
 * on purpose, as in the container) an IP address too, which is what a published port is reached
 * by. A name other than localhost never: that is what DNS rebinding uses to read this server.
 */
export function isDevHost (host: string | undefined, exposed: boolean): boolean {
  return isLoopbackHost(host) || (exposed && host !== undefined && isAddressHost(host))
}

const refusal = (type: string, message: string): Refusal => ({ status: 403, type, message })

/** Refuses what a browser sends (Origin) and what names another host (DNS rebinding). */
export function refuseForeign (headers: IncomingHttpHeaders): Refusal | undefined {
  if (headers.origin !== undefined) {
    return refusal('AccessDeniedException', 'The embedded emulator does not answer web pages (the request has an Origin header).')
  }
  if (!isLoopbackHost(headers.host)) {
    return refusal('AccessDeniedException', 'The embedded emulator answers loopback Hosts only (localhost, 127.0.0.1, [::1]).')
  }
  return undefined
}

/** AWS's limit on how far the signing time may be from the server's. */
const MAX_SKEW_MS = 15 * 60_000

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/

/** Headers a signature must cover: the host against rebinding, the date against replay, the target (the operation). */
const REQUIRED_SIGNED = ['host', 'x-amz-date', 'x-amz-target']

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest()
const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
// RFC 3986 unreserved characters stay, everything else is percent-encoded (SigV4's UriEncode).
const uriEncode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** A signed request as the emulator received it. */
export interface SignedRequest {
  method: string
  /** Path and query, as on the request line. */
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/**
 * Checks a request's SigV4 signature (the `Authorization` header, as the AWS SDK signs) against
 * `credentials`: the access key id must be theirs and the signature must have been made with
 * their secret over this method, path, query, signed headers and body, within 15 minutes of `now`.
 */
export function checkSignature (request: SignedRequest, credentials: AdminCredentials, now: number = Date.now()): Refusal | undefined {
  const authorization = request.headers.authorization
  if (authorization === undefined || authorization === '') return refusal('MissingAuthenticationTokenException', 'Missing Authentication Token')
  const match = AUTHORIZATION.exec(authorization)
  if (match === null) return refusal('IncompleteSignatureException', 'Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).')
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaders = '', signature = ''] = match
  if (!sameText(accessKeyId, credentials.accessKeyId)) return refusal('UnrecognizedClientException', 'The security token included in the request is invalid.')

  const amzDate = request.headers['x-amz-date']
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(day)) {
    return refusal('IncompleteSignatureException', 'X-Amz-Date must be set and match the date of the credential scope.')
  }
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15))
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) return refusal('InvalidSignatureException', `Signature expired: ${amzDate} is more than 15 minutes from the emulator's time.`)
  const names = signedHeaders.split(';')
  const unsigned = REQUIRED_SIGNED.filter((name) => !names.includes(name))
  if (unsigned.length > 0) return refusal('IncompleteSignatureException', `The signature must cover ${unsigned.join(', ')}.`)

  const url = new URL(request.url, 'http://emulator')
  const query = [...url.searchParams]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)
    .map(([key, value]) => `${key}=${value}`)
    .join('&')
  const headerLines = names.map((name) => `${name}:${String(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('')
  const canonicalRequest = [request.method, url.pathname, query, headerLines, signedHeaders, sha256(request.body)].join('\n')
  const scope = `${day}/${region}/${service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n')
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request')
  if (!sameText(hmac(signingKey, stringToSign).toString('hex'), signature)) {
    return refusal('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.')
  }
  return undefined
}

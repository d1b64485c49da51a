// AWS's named errors the bridge throws that cognito-local has no class for, and the one message
// AWS gives for every wrong password. All are CognitoError: answered with HTTP 400 and `__type`.
import { CognitoError, NotAuthorizedError } from 'cognito-local/lib/errors.js'

/** What AWS says to a wrong password, and to an unknown user when PreventUserExistenceErrors is ENABLED. */
export const INCORRECT = 'Incorrect username or password.'

/** NotAuthorizedException: 'Incorrect username or password.' */
export const incorrectCredentials = (): CognitoError => new NotAuthorizedError(INCORRECT)

/** InvalidPasswordException with the rule broken (cognito-local's InvalidPasswordError has a fixed message). */
export class PasswordPolicyError extends CognitoError {
  constructor (message: string) {
    super('InvalidPasswordException', message)
  }
}

/** AliasExistsException: the email (or phone number) is another user's alias already. */
export class AliasExistsError extends CognitoError {
  constructor (attribute = 'email') {
    super('AliasExistsException', `An account with the given ${attribute} already exists.`)
  }
}

/** SoftwareTokenMFANotFoundException: no (verified) authenticator where one is needed. */
export class SoftwareTokenMfaNotFoundError extends CognitoError {
  constructor (message = 'Software Token MFA has not been enabled by the user.') {
    super('SoftwareTokenMFANotFoundException', message)
  }
}

/** EnableSoftwareTokenMFAException: the first code of a new authenticator is wrong. */
export class EnableSoftwareTokenMfaError extends CognitoError {
  constructor () {
    super('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')
  }
}

/** An AWS error the bridge names by its `__type` alone (the WebAuthn family, LimitExceededException). */
class NamedError extends CognitoError {}

/** WebAuthnChallengeNotFoundException: no StartWebAuthnRegistration challenge (live, unspent) for the credential. */
export const webAuthnChallengeNotFound = (): CognitoError => new NamedError('WebAuthnChallengeNotFoundException', 'The challenge of the registration was not found or has expired.')
/** WebAuthnOriginNotAllowedException: the credential was made for an origin the pool does not allow. */
export const webAuthnOriginNotAllowed = (): CognitoError => new NamedError('WebAuthnOriginNotAllowedException', 'The origin of the credential is not allowed.')
/** WebAuthnRelyingPartyMismatchException: the credential is for another relying party than the pool's. */
export const webAuthnRelyingPartyMismatch = (): CognitoError => new NamedError('WebAuthnRelyingPartyMismatchException', 'The relying party of the credential does not match the user pool\'s.')
/** WebAuthnCredentialNotSupportedException: the credential does not verify, or its format or algorithm is not supported. */
export const webAuthnCredentialNotSupported = (): CognitoError => new NamedError('WebAuthnCredentialNotSupportedException', 'The credential is not supported.')
/** WebAuthnNotEnabledException: the pool does not allow passkeys. */
export const webAuthnNotEnabled = (): CognitoError => new NamedError('WebAuthnNotEnabledException', 'Passkeys are not enabled for this user pool.')
/** WebAuthnClientMismatchException: the registration was started with another app client's token. */
export const webAuthnClientMismatch = (): CognitoError => new NamedError('WebAuthnClientMismatchException', 'The access token is for another client than the one that started the registration.')
/** DeviceKeyExistsException: ConfirmDevice of a device that is confirmed already. */
export const deviceKeyExists = (): CognitoError => new NamedError('DeviceKeyExistsException', 'Device key already exists.')
/** LimitExceededException, with what was exceeded. */
export const limitExceeded = (message: string): CognitoError => new NamedError('LimitExceededException', message)

/** Rethrows `err`, replaced by `replacement()` when it is a CognitoError of one of `codes` (cognito-local's error where AWS names another). */
export const translate = (codes: string[], replacement: () => Error) => (err: unknown): never => {
  throw err instanceof CognitoError && codes.includes(err.code) ? replacement() : err
}

/** UserLambdaValidationException: a trigger threw; AWS words it '<Trigger> failed with error <message>.' */
export const userLambdaValidation = (trigger: string, message: string): CognitoError => new NamedError('UserLambdaValidationException', `${trigger} failed with error ${message}.`)
/** InvalidLambdaResponseException: a trigger's answer is not what AWS can read. */
export const invalidLambdaResponse = (message = 'Unrecognizable lambda output'): CognitoError => new NamedError('InvalidLambdaResponseException', message)
/** UnexpectedLambdaException: a trigger could not be run (it never answered). */
export const unexpectedLambda = (message: string): CognitoError => new NamedError('UnexpectedLambdaException', message)
/** PasswordHistoryPolicyViolationException: the new password is one of the user's last PasswordHistorySize passwords. */
export const passwordHistoryViolation = (): CognitoError => new NamedError('PasswordHistoryPolicyViolationException', 'The password was used recently: the user pool\'s password history does not allow it.')
/** UnsupportedOperationException: the app client does not have the feature the operation needs (RevokeToken without token revocation). */
export const unsupportedOperation = (message: string): CognitoError => new NamedError('UnsupportedOperationException', message)
/** UnsupportedTokenTypeException: a token of a type the operation does not take (an access token given to RevokeToken). */
export const unsupportedTokenType = (message: string): CognitoError => new NamedError('UnsupportedTokenTypeException', message)
/** UnauthorizedException: the request is not authorized for the app client (RevokeToken with a wrong client secret or another client's token). */
export const unauthorized = (message: string): CognitoError => new NamedError('UnauthorizedException', message)

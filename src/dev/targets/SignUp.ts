// The emulator's SignUp operation: AWS's request in, its response out, its named errors thrown.
import { randomUUID } from 'node:crypto'
import type { AttributeType, SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider'
import { CognitoError, InvalidParameterError, UsernameExistsError } from 'cognito-local/lib/errors.js'
import { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod.js'
import type { User } from 'cognito-local/lib/services/userPoolService.js'
import { checkAttributes, checkRequired } from '../rules/attributes.ts'
import { maskDelivery } from '../rules/delivery.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { nameOwner, newUsername, signInNamesOf, verifyAttribute } from '../rules/sign-in-names.ts'
import { postConfirmation, preSignUp } from '../rules/user-triggers.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * SignUp as AWS runs it: the password policy; the attributes against the schema and the client's
 * WriteAttributes; the username as the pool makes it (the new sub, with the email or phone number
 * as an attribute, for UsernameAttributes; never an email or phone number for such aliases);
 * required attributes; a name in use UsernameExistsException; the pre sign-up trigger
 * (auto-confirm, auto-verify, an alias moved); the code to the auto-verified attribute (SMS for a
 * phone number), masked; post confirmation when auto-confirmed.
 * Assumed: the policy is checked before the username (a weak password for a taken address is
 * InvalidPasswordException), and a user with no auto-verified attribute gets no code.
 */
export const SignUp: Target<SignUpRequest, SignUpResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  const pool = await poolOfClient(bridge, req.ClientId)
  const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
  if (typeof req.Username !== 'string' || req.Username === '') throw new InvalidParameterError('Missing required parameter Username')
  if (typeof req.Password !== 'string') throw new InvalidParameterError('Missing required parameter Password')
  enforcePasswordPolicy(pool, req.Password)
  const given: AttributeType[] = req.UserAttributes ?? []
  checkAttributes(pool, client, given, 'SignUp')
  const names = signInNamesOf(pool)
  if (names.aliasAttributes.includes('preferred_username') && given.some((a) => a.Name === 'preferred_username')) {
    throw new InvalidParameterError('preferred_username is an alias of this user pool: it can be set once the user is confirmed, not at sign-up.')
  }
  const sub = randomUUID()
  const { username, attribute } = newUsername(pool, req.Username, sub)
  const attributes = [...given.filter((a) => a.Name !== attribute?.Name && a.Name !== 'sub'), ...(attribute === undefined ? [] : [attribute])]
  checkRequired(pool, attributes)
  if (await pool.getUserByUsername(ctx, req.Username) !== null) throw existing(attribute?.Name)
  if (attribute !== undefined && await nameOwner(ctx, pool, attribute.Name, attribute.Value, undefined) !== null) throw existing(attribute.Name)

  const decision = await preSignUp(bridge, pool, { source: 'SignUp', username, attributes, clientId: req.ClientId, validationData: req.ValidationData, clientMetadata: req.ClientMetadata })
  const now = services.clock.get()
  let user: User = {
    Username: username,
    Password: req.Password,
    Attributes: [{ Name: 'sub', Value: sub }, ...attributes] as User['Attributes'],
    Enabled: true,
    UserStatus: decision.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED',
    UserCreateDate: now,
    UserLastModifiedDate: now,
    RefreshTokens: []
  }
  const code = services.otp()
  const delivery = decision.autoConfirmUser ? null : selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user)
  if (delivery !== null) await services.messages.deliver(ctx, 'SignUp', req.ClientId ?? null, pool.options.Id, user, code, req.ClientMetadata, delivery)
  await pool.saveUser(ctx, { ...user, ConfirmationCode: decision.autoConfirmUser ? undefined : code })
  // As AWS: an auto-verified email or phone number that is another user's alias moves to the new user.
  if (decision.autoVerifyEmail) user = await verifyAttribute(ctx, pool, user, 'email', true)
  if (decision.autoVerifyPhone) user = await verifyAttribute(ctx, pool, user, 'phone_number', true)
  if (decision.autoConfirmUser) await postConfirmation(bridge, pool, user, 'ConfirmSignUp', req.ClientId, req.ClientMetadata)
  return maskDelivery({ UserConfirmed: decision.autoConfirmUser, UserSub: sub, ...(delivery === null ? {} : { CodeDeliveryDetails: delivery }) }) as SignUpResponse
}

/** UsernameExistsException as AWS words it: by the attribute that names users, else 'User already exists'. */
const existing = (attribute: string | undefined): CognitoError =>
  attribute === undefined ? new UsernameExistsError() : new CognitoError('UsernameExistsException', `An account with the given ${attribute} already exists.`)

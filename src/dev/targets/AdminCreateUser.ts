// The emulator's AdminCreateUser operation: AWS's request in, its response out, its named errors thrown.
import { randomUUID } from 'node:crypto'
import type { AdminCreateUserRequest, AdminCreateUserResponse, AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider'
import { CognitoError, InvalidParameterError, UserNotFoundError, UsernameExistsError } from 'cognito-local/lib/errors.js'
import { userToResponseObject } from 'cognito-local/lib/targets/responses.js'
import { attributeValue, type User } from 'cognito-local/lib/services/userPoolService.js'
import { temporaryPassword } from '../../password-policy.ts'
import { checkAttributes } from '../rules/attributes.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { nameOwner, newUsername, verifyAttribute } from '../rules/sign-in-names.ts'
import { preSignUp } from '../rules/user-triggers.ts'
import { poolById } from '../rules/users.ts'
import type { Bridge } from '../rules/bridge.ts'
import type { Target } from './target.ts'

/** The user record with when its temporary password was set (it expires after TemporaryPasswordValidityDays). */
export type InvitedUser = User & { TemporaryPasswordSetAt?: number }

/**
 * AdminCreateUser as AWS runs it: the attributes against the schema (developer-only ones
 * allowed), the username as the pool makes it (the new sub for UsernameAttributes, whose email or
 * phone number must be free), a temporary password that meets the policy (given or made up),
 * an email or phone number marked verified that is another user's alias AliasExistsException
 * unless ForceAliasCreation moves it, the pre sign-up trigger (PreSignUp_AdminCreateUser, its
 * answer ignored), and the invitation by DesiredDeliveryMediums (SMS by default) unless
 * MessageAction SUPPRESS; RESEND sends a user still in FORCE_CHANGE_PASSWORD a new temporary password.
 * Assumed: the shape of a made-up password (12+ characters with upper, lower, digit and symbol).
 */
export const AdminCreateUser: Target<AdminCreateUserRequest, AdminCreateUserResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  const pool = await poolById(bridge, req.UserPoolId)
  if (typeof req.Username !== 'string' || req.Username === '') throw new InvalidParameterError('Missing required parameter Username')
  const password = req.TemporaryPassword ?? temporaryPassword(pool.options.Policies?.PasswordPolicy)
  enforcePasswordPolicy(pool, password)
  const found = await pool.getUserByUsername(ctx, req.Username)
  if (req.MessageAction === 'RESEND') {
    if (found === null) throw new UserNotFoundError('User does not exist.')
    if (found.UserStatus !== 'FORCE_CHANGE_PASSWORD') throw new CognitoError('UnsupportedUserStateException', 'User is not in FORCE_CHANGE_PASSWORD state.')
    const resent: InvitedUser = { ...found, Password: password, TemporaryPasswordSetAt: services.clock.get().getTime(), UserLastModifiedDate: services.clock.get() }
    await invite(bridge, pool.options.Id, resent, password, req)
    await pool.saveUser(ctx, resent)
    return { User: userToResponseObject(resent) as UserType }
  }
  if (found !== null) throw new UsernameExistsError()
  const given: AttributeType[] = req.UserAttributes ?? []
  checkAttributes(pool, null, given, 'AdminCreateUser')
  const sub = randomUUID()
  const { username, attribute } = newUsername(pool, req.Username, sub)
  const attributes = [...given.filter((a) => a.Name !== attribute?.Name && a.Name !== 'sub'), ...(attribute === undefined ? [] : [attribute])]
  if (attribute !== undefined && await nameOwner(ctx, pool, attribute.Name, attribute.Value, undefined) !== null) {
    throw new CognitoError('UsernameExistsException', `An account with the given ${attribute.Name} already exists.`)
  }
  await preSignUp(bridge, pool, { source: 'AdminCreateUser', username, attributes, validationData: req.ValidationData, clientMetadata: req.ClientMetadata })
  const now = services.clock.get()
  let user: InvitedUser = {
    Username: username,
    Password: password,
    TemporaryPasswordSetAt: now.getTime(),
    Attributes: [{ Name: 'sub', Value: sub }, ...attributes].sort((a, b) => String(a.Name).localeCompare(String(b.Name))) as User['Attributes'],
    Enabled: true,
    UserStatus: 'FORCE_CHANGE_PASSWORD',
    UserCreateDate: now,
    UserLastModifiedDate: now,
    RefreshTokens: []
  }
  // An email or phone number given as verified is an alias at once: it may be another user's.
  for (const name of ['email', 'phone_number'] as const) {
    if (attributeValue(`${name}_verified`, user.Attributes) !== 'true') continue
    const value = attributeValue(name, user.Attributes)
    if (value !== undefined && !req.ForceAliasCreation && await nameOwner(ctx, pool, name, value, user) !== null) throw new CognitoError('AliasExistsException', `An account with the given ${name} already exists.`)
  }
  if (req.MessageAction !== 'SUPPRESS') await invite(bridge, pool.options.Id, user, password, req)
  await pool.saveUser(ctx, user)
  for (const name of ['email', 'phone_number'] as const) {
    if (attributeValue(`${name}_verified`, user.Attributes) === 'true') user = await verifyAttribute(ctx, pool, user, name, true)
  }
  return { User: userToResponseObject(user) as UserType }
}

/** The invitation with the temporary password, by the first of DesiredDeliveryMediums (default SMS) the user has an address for. */
async function invite ({ ctx, services }: Pick<Bridge, 'ctx' | 'services'>, poolId: string, user: User, password: string, req: AdminCreateUserRequest): Promise<void> {
  const mediums = req.DesiredDeliveryMediums ?? ['SMS']
  const phone = attributeValue('phone_number', user.Attributes)
  const email = attributeValue('email', user.Attributes)
  const delivery = mediums.includes('SMS') && phone !== undefined
    ? { DeliveryMedium: 'SMS' as const, AttributeName: 'phone_number' as const, Destination: phone }
    : mediums.includes('EMAIL') && email !== undefined
      ? { DeliveryMedium: 'EMAIL' as const, AttributeName: 'email' as const, Destination: email }
      : undefined
  if (delivery === undefined) throw new InvalidParameterError('User has no attribute matching desired delivery mediums')
  await services.messages.deliver(ctx, 'AdminCreateUser', null, poolId, user, password, req.ClientMetadata, delivery)
}

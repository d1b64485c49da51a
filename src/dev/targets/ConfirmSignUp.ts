// The emulator's ConfirmSignUp operation: AWS's request in, its response out, its named errors thrown.
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod.js'
import { AliasExistsError } from '../rules/errors.ts'
import { nameOwner, signInNamesOf, verifyAttribute } from '../rules/sign-in-names.ts'
import { postConfirmation } from '../rules/user-triggers.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ConfirmSignUp: a confirmed account cannot be confirmed again whatever the code (cognito-local
 * says the code expired); the attribute the code went to (email, or phone number by SMS) becomes
 * verified, which cognito-local leaves out; where it is an alias another user verified, the right
 * code gets AliasExistsException and nothing changes, unless ForceAliasCreation moves the alias;
 * then the post confirmation trigger runs (the user stays confirmed if it throws, as on AWS).
 */
export const ConfirmSignUp: Target<ConfirmSignUpRequest, ConfirmSignUpResponse> = async (req, bridge) => {
  const { ctx } = bridge
  const pool = await poolOfClient(bridge, req.ClientId)
  const before = await pool.getUserByUsername(ctx, String(req.Username))
  if (before?.UserStatus === 'CONFIRMED') throw new NotAuthorizedError('User cannot be confirmed. Current status is CONFIRMED')
  const delivery = before === null ? null : selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], before)
  const attribute = delivery?.AttributeName
  if (before !== null && attribute !== undefined && req.ForceAliasCreation !== true && req.ConfirmationCode === before.ConfirmationCode &&
    signInNamesOf(pool).aliasAttributes.includes(attribute) && await nameOwner(ctx, pool, attribute, delivery?.Destination ?? '', before) !== null) {
    throw new AliasExistsError(attribute)
  }
  const res = await bridge.next(req)
  let user = before === null ? null : await pool.getUserByUsername(ctx, before.Username)
  if (user === null) return res
  if (attribute !== undefined) user = await verifyAttribute(ctx, pool, user, attribute, true)
  await postConfirmation(bridge, pool, user, 'ConfirmSignUp', req.ClientId, req.ClientMetadata)
  return res
}

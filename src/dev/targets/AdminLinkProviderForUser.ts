// The emulator's AdminLinkProviderForUser operation: AWS's request in, its response out, its named errors thrown.
import type { AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { attributesAppend } from 'cognito-local/lib/services/userPoolService.js'
import { MANAGED_LOGIN_PROVIDERS } from '../oauth/providers.ts'
import { federatedUsername, identitiesOf, identityEntry, linkedUser } from '../rules/federated-users.ts'
import { existingUser, isFederated, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AWS's limit on the identities linked to one user. */
const MAX_LINKED = 5

/**
 * AdminLinkProviderForUser: a provider's identity (SourceUser: ProviderName, `Cognito_Subject`,
 * the provider's `sub`) signs in from now on as an existing user of the pool (DestinationUser:
 * ProviderName `Cognito`, its username). As AWS: an identity that has signed in already (its
 * `<Provider>_<sub>` user exists) cannot be merged, one identity links to one user, five at most
 * per user. The link is an entry in the destination's `identities` attribute (primary: false).
 */
export const AdminLinkProviderForUser: Target<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const source = req.SourceUser ?? {}
  const destination = req.DestinationUser ?? {}
  const provider = MANAGED_LOGIN_PROVIDERS.find(p => p.name === source.ProviderName)
  if (provider === undefined) throw new InvalidParameterError(`SourceUser.ProviderName ${String(source.ProviderName)} is not an identity provider of the pool.`)
  if (source.ProviderAttributeName !== 'Cognito_Subject' || typeof source.ProviderAttributeValue !== 'string' || source.ProviderAttributeValue === '') {
    throw new InvalidParameterError('SourceUser needs ProviderAttributeName Cognito_Subject and the provider\'s subject as ProviderAttributeValue.')
  }
  if (destination.ProviderName !== 'Cognito') throw new InvalidParameterError('DestinationUser.ProviderName must be Cognito.')
  const user = await existingUser(bridge, pool, destination.ProviderAttributeValue)
  if (isFederated(user)) throw new InvalidParameterError('DestinationUser must not be a federated user.')
  const sub = source.ProviderAttributeValue
  if (await pool.getUserByUsername(bridge.ctx, federatedUsername(provider.name, sub)) !== null) {
    throw new InvalidParameterError('Merging is not currently supported, provide a SourceUser that has not been signed up in order to link')
  }
  const owner = await linkedUser(bridge, pool, provider.name, sub)
  if (owner !== null) {
    if (owner.Username !== user.Username) throw new InvalidParameterError('SourceUser is already linked to another user.')
    return {} // Assumed: linking the same pair again changes nothing.
  }
  const identities = identitiesOf(user)
  if (identities.length >= MAX_LINKED) throw new InvalidParameterError(`A user can have at most ${MAX_LINKED} linked identities.`)
  const linked = [...identities, identityEntry(provider, sub, bridge.services.clock.get(), false)]
  await pool.saveUser(bridge.ctx, { ...user, Attributes: attributesAppend(user.Attributes, { Name: 'identities', Value: JSON.stringify(linked) }), UserLastModifiedDate: bridge.services.clock.get() })
  return {}
}

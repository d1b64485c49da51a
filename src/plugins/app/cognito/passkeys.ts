// The adapter: registering, listing and removing a user's passkeys.
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserPoolMfaConfigCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
  type GetUserPoolMfaConfigCommandOutput,
  type ListWebAuthnCredentialsCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from './errors.ts'
import type { CognitoClient } from './client.ts'
import type { PasskeySettings } from './decoys.ts'
import type { Passkey } from './types.ts'

/** Pages of ListWebAuthnCredentials read at most (Cognito's pages hold up to 20): a bound, not an expected size. */
const MAX_PAGES = 10

/** The signed-in user's passkeys (their access token): registering, listing and removing them. */
export function passkeyOperations (cognito: CognitoClient) {
  const { call } = cognito

  async function listPasskeys (accessToken: string): Promise<Passkey[]> {
    const passkeys: Passkey[] = []
    let nextToken: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await call<ListWebAuthnCredentialsCommandOutput>(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, NextToken: nextToken, MaxResults: 20 }))
      for (const c of out.Credentials ?? []) {
        if (c.CredentialId === undefined) continue
        passkeys.push({ id: c.CredentialId, name: c.FriendlyCredentialName === undefined || c.FriendlyCredentialName === '' ? null : c.FriendlyCredentialName, createdAt: new Date(c.CreatedAt ?? 0) })
      }
      nextToken = out.NextToken
      if (nextToken === undefined) break
    }
    return passkeys
  }

  return {
    /** StartWebAuthnRegistration: the PublicKeyCredentialCreationOptionsJSON for the browser, as a JSON string. */
    async startPasskeyRegistration (accessToken: string): Promise<string> {
      const out = await call<{ CredentialCreationOptions?: unknown }>(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))
      if (typeof out.CredentialCreationOptions !== 'object' || out.CredentialCreationOptions === null) throw new AppError('SERVICE_UNAVAILABLE')
      return JSON.stringify(out.CredentialCreationOptions)
    },

    /**
     * CompleteWebAuthnRegistration with the browser's RegistrationResponseJSON; answers the new
     * passkey as ListWebAuthnCredentials shows it (Cognito's completion answers nothing).
     */
    async finishPasskeyRegistration (accessToken: string, credential: { id: string } & Record<string, unknown>): Promise<Passkey> {
      // The SDK's document type; the parsed JSON is one.
      await call(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }), { retry: false })
      const added = (await listPasskeys(accessToken)).find((p) => p.id === credential.id)
      if (added === undefined) throw new AppError('SERVICE_UNAVAILABLE')
      return added
    },

    listPasskeys,

    /** The pool's passkey relying party and user verification (GetUserPoolMfaConfig's WebAuthnConfiguration, admin credentials). */
    async passkeySettings (): Promise<PasskeySettings> {
      const out = await call<GetUserPoolMfaConfigCommandOutput>(new GetUserPoolMfaConfigCommand({ UserPoolId: cognito.pool.userPoolId }))
      const settings = out.WebAuthnConfiguration
      return { rpId: settings?.RelyingPartyId, userVerification: settings?.UserVerification?.toLowerCase() }
    },

    /** DeleteWebAuthnCredential; false when the user has no passkey with that id. */
    async deletePasskey (accessToken: string, id: string): Promise<boolean> {
      const command = new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id })
      try {
        await cognito.attempt(command, false)
        return true
      } catch (err) {
        if (exceptionName(err) === 'ResourceNotFoundException') return false
        throw cognito.failure(command, err)
      }
    }
  }
}

// Federated sign-in's part of `npm run provision`: the pool's managed-login domain and the app
// client's OAuth settings (the code grant, the scopes, the callback and sign-out URLs derived from
// PUBLIC_ORIGIN, the identity providers offered). The providers themselves are added to the pool
// first (docs/federated-sign-in.md); this step offers them through the app client.
import {
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
  type UpdateUserPoolClientCommandInput,
  type UserPoolClientType
} from '@aws-sdk/client-cognito-identity-provider'

export interface ManagedLoginSettings {
  userPoolId: string
  clientId: string
  region: string
  /** The origin users reach the server at (PUBLIC_ORIGIN): the callback URL and the sign-out URLs derive from it. */
  publicOrigin: string
  /** The identity providers to offer, as the pool names them (they must exist in the pool). */
  providers: string[]
  /** Paths a sign-out may return to (`/auth/oauth/logout?redirect=<path>`); Cognito accepts listed URLs only. */
  logoutPaths: string[]
  /** The prefix of an Amazon Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`); none: the pool has a domain already. */
  domainPrefix?: string
}

export interface ManagedLoginResult {
  /** The managed-login domain as COGNITO_DOMAIN takes it; undefined when no prefix was given. */
  domain?: string
  callbackUrl: string
  logoutUrls: string[]
}

/** The OAuth scopes the server asks for (src/plugins/app/cognito/oauth.ts): the id token with the user's email and name, and the user operations. */
export const OAUTH_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin']

/**
 * The settings of an app client that UpdateUserPoolClient takes besides the OAuth ones. AWS resets
 * every setting the request leaves out to its default, so the client's current ones are carried over.
 */
const CARRIED = [
  'ClientName', 'RefreshTokenValidity', 'AccessTokenValidity', 'IdTokenValidity', 'TokenValidityUnits', 'ReadAttributes', 'WriteAttributes',
  'ExplicitAuthFlows', 'PreventUserExistenceErrors', 'EnableTokenRevocation', 'EnablePropagateAdditionalUserContextData', 'AuthSessionValidity',
  'AnalyticsConfiguration', 'RefreshTokenRotation'
] as const satisfies ReadonlyArray<keyof UserPoolClientType & keyof UpdateUserPoolClientCommandInput>

const updatable = (client: UserPoolClientType) =>
  Object.fromEntries(CARRIED.map((name) => [name, client[name]])) as Pick<UserPoolClientType, typeof CARRIED[number]>

/** Creates the managed-login domain (when a prefix is given) and sets the app client's OAuth settings for federated sign-in. */
export async function configureManagedLogin (cognito: CognitoIdentityProviderClient, settings: ManagedLoginSettings): Promise<ManagedLoginResult> {
  const { userPoolId, clientId, publicOrigin } = settings
  let domain: string | undefined
  if (settings.domainPrefix !== undefined) {
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: settings.domainPrefix }))
    domain = `https://${settings.domainPrefix}.auth.${settings.region}.amazoncognito.com`
  }
  const callbackUrl = `${publicOrigin}/auth/oauth/callback`
  const logoutUrls = [...new Set(settings.logoutPaths.map((path) => `${publicOrigin}${path}`))]
  const { UserPoolClient: current } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))
  if (current === undefined) throw new Error(`DescribeUserPoolClient found no app client ${clientId}`)
  await cognito.send(new UpdateUserPoolClientCommand({
    ...updatable(current),
    UserPoolId: userPoolId,
    ClientId: clientId,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: OAUTH_SCOPES,
    AllowedOAuthFlowsUserPoolClient: true,
    CallbackURLs: [callbackUrl],
    LogoutURLs: logoutUrls,
    SupportedIdentityProviders: settings.providers
  }))
  return { domain, callbackUrl, logoutUrls }
}

/** The environment lines of federated sign-in. */
export function managedLoginLines (result: ManagedLoginResult, settings: Pick<ManagedLoginSettings, 'publicOrigin' | 'providers'>): string[] {
  return [
    ...(result.domain !== undefined ? [`COGNITO_DOMAIN=${result.domain}`] : []),
    `OAUTH_PROVIDERS=${settings.providers.join(',')}`,
    `PUBLIC_ORIGIN=${settings.publicOrigin}`
  ]
}

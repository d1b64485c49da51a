// The pre token generation trigger: before the emulator signs a user's id and access tokens, the
// trigger sees what they would carry and may add, override or suppress claims, scopes and groups,
// as AWS applies its answer: the V2 event (claimsAndScopeOverrideDetails, both tokens) unless the
// pool's LambdaConfig.PreTokenGenerationConfig asks for V1_0 (claimsOverrideDetails, the id token).
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import type { CognitoService } from 'cognito-local/lib/services/cognitoService.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { User } from 'cognito-local/lib/services/userPoolService.js'
import { eventAttributes, type Triggers } from './triggers.ts'

/** A token's claims, as the emulator signs and reads them. */
export type Claims = Record<string, unknown>

/** What a token generation is about, and the claims it would sign. */
export interface TokenDraft {
  user: User
  groups: readonly string[]
  client: AppClient
  /** cognito-local's source: Authentication, RefreshTokens, NewPasswordChallenge, HostedAuth, AuthenticateDevice. */
  source: string
  clientMetadata?: Record<string, string>
  id: Claims
  access: Claims
}

/** Changes the claims of a draft in place before the tokens are signed. */
export type ClaimsCustomizer = (ctx: Context, draft: TokenDraft) => Promise<void>

// Claims Cognito keeps for itself: an answer that adds, overrides or suppresses them is ignored
// for them (assumed: AWS documents the lists, and drops such changes rather than failing).
const RESERVED = ['acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'c_hash', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use', 'event_id']
const RESERVED_ACCESS = [...RESERVED, 'client_id', 'scope', 'username', 'version', 'device_key']
const isReserved = (claim: string, reserved: string[]): boolean => reserved.includes(claim) || claim.startsWith('cognito:')

interface ClaimChanges { claimsToAddOrOverride?: Record<string, unknown>, claimsToSuppress?: string[] }
interface GroupOverride { groupsToOverride?: string[], iamRolesToOverride?: string[], preferredRole?: string }

function applyClaims (claims: Claims, changes: ClaimChanges | undefined, reserved: string[]): void {
  for (const name of Array.isArray(changes?.claimsToSuppress) ? changes.claimsToSuppress : []) {
    if (typeof name === 'string' && !isReserved(name, reserved)) delete claims[name]
  }
  for (const [name, value] of Object.entries(changes?.claimsToAddOrOverride ?? {})) {
    if (!isReserved(name, reserved)) claims[name] = value
  }
}

function applyGroups (id: Claims, access: Claims, override: GroupOverride | undefined): void {
  if (override === undefined || override === null) return
  if (Array.isArray(override.groupsToOverride)) {
    for (const claims of [id, access]) {
      if (override.groupsToOverride.length === 0) delete claims['cognito:groups']
      else claims['cognito:groups'] = [...override.groupsToOverride]
    }
  }
  if (Array.isArray(override.iamRolesToOverride) && override.iamRolesToOverride.length > 0) id['cognito:roles'] = [...override.iamRolesToOverride]
  if (typeof override.preferredRole === 'string') id['cognito:preferred_role'] = override.preferredRole
}

function applyScopes (access: Claims, add: unknown, suppress: unknown): void {
  const scopes = new Set(String(access.scope ?? '').split(' ').filter(Boolean))
  for (const scope of Array.isArray(add) ? add : []) if (typeof scope === 'string' && scope !== '') scopes.add(scope)
  for (const scope of Array.isArray(suppress) ? suppress : []) scopes.delete(scope)
  access.scope = [...scopes].join(' ')
}

/** The customizer that runs the module's preTokenGeneration, or undefined when it exports none. */
export function preTokenGeneration (triggers: Triggers, cognito: CognitoService): ClaimsCustomizer | undefined {
  if (!triggers.has('preTokenGeneration')) return undefined
  return async (ctx, { user, groups, client, source, clientMetadata, id, access }) => {
    const pool = await cognito.getUserPool(ctx, client.UserPoolId)
    const config = (pool.options.LambdaConfig as { PreTokenGenerationConfig?: { LambdaVersion?: string } } | undefined)?.PreTokenGenerationConfig
    const v1 = config?.LambdaVersion === 'V1_0'
    const request = {
      userAttributes: eventAttributes(user),
      groupConfiguration: { groupsToOverride: [...groups], iamRolesToOverride: [], preferredRole: null },
      ...(v1 ? {} : { scopes: String(access.scope ?? '').split(' ').filter(Boolean) }),
      ...(clientMetadata === undefined ? {} : { clientMetadata })
    }
    const response = await triggers.run('preTokenGeneration', {
      pool,
      triggerSource: `TokenGeneration_${source}`,
      userName: user.Username,
      clientId: client.ClientId,
      version: v1 ? '1' : '2',
      request,
      response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null }
    })
    if (v1) {
      const details = (response?.claimsOverrideDetails ?? undefined) as (ClaimChanges & { groupOverrideDetails?: GroupOverride }) | undefined
      applyClaims(id, details, RESERVED)
      applyGroups(id, access, details?.groupOverrideDetails)
      return
    }
    const details = (response?.claimsAndScopeOverrideDetails ?? undefined) as {
      idTokenGeneration?: ClaimChanges
      accessTokenGeneration?: ClaimChanges & { scopesToAdd?: unknown, scopesToSuppress?: unknown }
      groupOverrideDetails?: GroupOverride
    } | undefined
    applyClaims(id, details?.idTokenGeneration, RESERVED)
    applyClaims(access, details?.accessTokenGeneration, RESERVED_ACCESS)
    applyScopes(access, details?.accessTokenGeneration?.scopesToAdd, details?.accessTokenGeneration?.scopesToSuppress)
    applyGroups(id, access, details?.groupOverrideDetails)
  }
}

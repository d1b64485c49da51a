// What `npm run doctor` reads of a user pool and its app client, with the admin credentials, and
// only reads: Describe, Get and List operations and one AdminGetUser of a name nobody has, which
// shows whether the server's own look-up is allowed. A read the credentials may not make is kept
// as a denial (the verdicts that need it say so); a pool or client that is not there ends the run.
import { randomUUID } from 'node:crypto'
import {
  AdminGetUserCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, GetUserPoolMfaConfigCommand, ListGroupsCommand,
  type CognitoIdentityProviderClient, type GetUserPoolMfaConfigResponse, type ListGroupsCommandOutput, type UserPoolClientType, type UserPoolType
} from '@aws-sdk/client-cognito-identity-provider'
import { unsupportedBy } from '../plugins/app/cognito/errors.ts'

/** Every operation the doctor calls: nothing here creates, changes or deletes. */
export const READS = ['DescribeUserPool', 'DescribeUserPoolClient', 'GetUserPoolMfaConfig', 'ListGroups', 'AdminGetUser'] as const
export type Read = typeof READS[number]

/** A read that could not be made: refused by IAM (`denied`), no usable credentials at all, or an endpoint that lacks the operation. */
export interface Denial {
  operation: Read
  reason: 'denied' | 'no-credentials' | 'unsupported'
  /** From AWS's AccessDenied message: who asked, and the pool's ARN. */
  principal?: string
  resource?: string
}

/** What was read; a part left undefined was denied (see `denials`). */
export interface PoolFacts {
  pool?: UserPoolType
  client?: UserPoolClientType
  mfa?: GetUserPoolMfaConfigResponse
  /** The pool's group names. */
  groups?: string[]
  /** AdminGetUser is allowed (the server looks accounts up with it). */
  adminLookup?: true
  denials: Map<Read, Denial>
}

/** A pool or app client that cannot be read for another reason than permissions (not there, unreachable). */
export class PoolUnreadable extends Error {
  override name = 'PoolUnreadable'
}

/** The exceptions (and the SDK's own error) that mean the credentials themselves are missing or not accepted. */
const CREDENTIAL_FAILURES = new Set([
  'CredentialsProviderError', 'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException',
  'ExpiredTokenException', 'InvalidClientTokenId', 'MissingAuthenticationTokenException', 'UnauthorizedException'
])

/** AWS's AccessDenied message: "User: <principal> is not authorized to perform: cognito-idp:<Op> on resource: <arn> …". */
const ACCESS_DENIED = /User: (\S+) is not authorized to perform: \S+ on resource: (\S+)/

/** The denial an error is, or undefined when it is neither about permissions nor a missing operation. */
function denialOf (operation: Read, err: unknown): Denial | undefined {
  const { name, message } = err as { name?: string, message?: string }
  if (name === 'AccessDeniedException') {
    const match = ACCESS_DENIED.exec(message ?? '')
    return { operation, reason: 'denied', ...(match === null ? {} : { principal: match[1], resource: match[2] }) }
  }
  if (CREDENTIAL_FAILURES.has(name ?? '')) return { operation, reason: 'no-credentials' }
  // An emulator without the operation (moto, LocalStack): the verdicts that need it say so; the others are made.
  if (unsupportedBy(err) === 'operation') return { operation, reason: 'unsupported' }
  return undefined
}

const GROUP_PAGES = 20

/**
 * Reads the pool, the app client, the pool's MFA and passkey settings and its groups, and tries
 * the server's account look-up; never throws for a permission, throws PoolUnreadable otherwise.
 */
export async function readPool (cognito: CognitoIdentityProviderClient, target: { userPoolId: string, clientId: string }): Promise<PoolFacts> {
  const UserPoolId = target.userPoolId
  const facts: PoolFacts = { denials: new Map() }
  async function read<T> (operation: Read, call: () => Promise<T>, missing?: string): Promise<T | undefined> {
    try {
      return await call()
    } catch (err) {
      const denial = denialOf(operation, err)
      if (denial !== undefined) {
        facts.denials.set(operation, denial)
        return undefined
      }
      const name = (err as Error).name
      if (missing !== undefined && name === 'ResourceNotFoundException') throw new PoolUnreadable(missing)
      throw new PoolUnreadable(`${operation} failed: ${name === 'Error' ? '' : `${name}: `}${(err as Error).message}`)
    }
  }

  facts.pool = (await read('DescribeUserPool', () => cognito.send(new DescribeUserPoolCommand({ UserPoolId })), `there is no user pool ${UserPoolId} (COGNITO_USER_POOL_ID) in its region`))?.UserPool
  facts.client = (await read('DescribeUserPoolClient', () => cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: target.clientId })),
    `the user pool ${UserPoolId} has no app client ${target.clientId} (COGNITO_CLIENT_ID)`))?.UserPoolClient
  const mfa = await read('GetUserPoolMfaConfig', () => cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId })))
  if (mfa !== undefined) facts.mfa = mfa
  facts.groups = await read('ListGroups', async () => {
    const names: string[] = []
    let token: string | undefined
    for (let page = 0; page < GROUP_PAGES; page++) {
      const out: ListGroupsCommandOutput = await cognito.send(new ListGroupsCommand({ UserPoolId, Limit: 60, ...(token === undefined ? {} : { NextToken: token }) }))
      names.push(...(out.Groups ?? []).flatMap((g) => g.GroupName ?? []))
      token = out.NextToken || undefined
      if (token === undefined) break
    }
    return names
  })
  // A name no account has: any answer but a refusal of the credentials shows the look-up is allowed.
  const lookup = await read('AdminGetUser', () => cognito.send(new AdminGetUserCommand({ UserPoolId, Username: `npm-run-doctor-${randomUUID()}` })).then(() => true as const, (err: unknown) => {
    if (denialOf('AdminGetUser', err) !== undefined) throw err
    return true as const
  }))
  if (lookup === true) facts.adminLookup = true
  return facts
}

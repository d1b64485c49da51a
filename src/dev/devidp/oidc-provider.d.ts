// The part of oidc-provider (v9, which ships no types) that the DevIdP uses, as its documentation
// (docs/README.md: configuration, interactions, Grant) describes it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface AdapterPayload {
    uid?: string
    grantId?: string
    consumed?: number
    [key: string]: unknown
  }

  export interface Interaction {
    uid: string
    prompt: { name: string, reasons: string[], details: Record<string, unknown> }
    params: Record<string, unknown>
    session?: { accountId?: string }
  }

  export interface InteractionResults {
    login?: { accountId: string }
    consent?: { grantId: string }
    error?: string
    error_description?: string
  }

  export interface Account {
    accountId: string
    claims: (use: string, scope: string) => Record<string, unknown> | Promise<Record<string, unknown>>
  }

  export interface KoaContextWithOIDC {
    oidc: { result?: InteractionResults }
    type: string
    body: unknown
  }

  export class Grant {
    constructor (properties: { accountId: string, clientId: string })
    addOIDCScope (scope: string): void
    save (): Promise<string>
  }

  export class Check {
    constructor (reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>)
    static REQUEST_PROMPT: true
    static NO_NEED_TO_PROMPT: false
  }

  export interface Prompt { name: string, checks: Check[] & { add: (check: Check, i?: number) => void } }
  export type Policy = Prompt[] & { get: (name: string) => Prompt | undefined }

  export const interactionPolicy: { base: () => Policy, Check: typeof Check }

  export default class Provider {
    constructor (issuer: string, configuration: Record<string, unknown>)
    readonly Grant: typeof Grant
    callback (): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails (req: IncomingMessage, res: ServerResponse): Promise<Interaction>
    interactionResult (req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>
  }
}

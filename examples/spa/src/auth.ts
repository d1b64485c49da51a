// The page's one browser client (cognito-graphql-auth/client) and the development mailbox. The
// session lives in HttpOnly cookies the page can neither read nor write: the client sends every
// request with `credentials: 'include'`, and the page only asks `me`.
import { createAuthClient } from 'cognito-graphql-auth/client'

import { api } from './settings.ts'

export { api }

export const auth = createAuthClient({ url: `${api}/graphql` })

/** The page's own failures, beside the server's ErrorCode: each has a sentence in messages.ts. */
export type PageErrorCode = 'NETWORK_ERROR' | 'NO_MAILBOX' | 'NO_CODE' | 'PASSKEY_UNSUPPORTED' | 'PASSKEY_CANCELLED'

export class PageError extends Error {
  constructor (readonly code: PageErrorCode, message: string) {
    super(message)
  }
}

/**
 * Development only: the newest code the embedded emulator "sent" to `address`, from its
 * GET /dev/mailbox. A real pool emails the code and has no such route.
 */
export async function newestCode (address: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(address)}`)
  } catch {
    throw new PageError('NETWORK_ERROR', `Cannot reach ${api}/dev/mailbox`)
  }
  if (!response.ok) throw new PageError('NO_MAILBOX', 'No development mailbox here')
  const [newest] = await response.json() as Array<{ code: string }>
  if (newest === undefined) throw new PageError('NO_CODE', `No code was sent to ${address} yet`)
  return newest.code
}

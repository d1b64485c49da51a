// The shape of an emulated operation, as cognito-local's src/targets/*.ts have theirs: AWS's
// request in, AWS's response out, AWS's named errors thrown as cognito-local's CognitoError (its
// HTTP layer, and ours in ../emulator.ts, answer those with HTTP 400 and the error's `__type`).
import type { Bridge } from '../rules/bridge.ts'

/** An emulated operation: AWS's request shape in, its response shape out; AWS's named errors thrown. */
export type Target<Req, Res> = (req: Req, bridge: Bridge) => Promise<Res>

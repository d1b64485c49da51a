// The emulator: what every AuthFlow of InitiateAuth is given and answers.
import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from '../../rules/bridge.ts'

/** One AuthFlow of InitiateAuth (see ../InitiateAuth.ts), given the pool of the request's app client. */
export type AuthFlow = (req: InitiateAuthRequest, bridge: Bridge, pool: UserPoolService) => Promise<InitiateAuthResponse>

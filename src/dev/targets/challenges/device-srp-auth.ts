// The emulator: answering DEVICE_SRP_AUTH of RespondToAuthChallenge.
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { deviceOf } from '../../rules/devices.ts'
import { challengeOf, serverStep } from '../../rules/srp.ts'
import type { Challenge } from './challenge.ts'

/**
 * DEVICE_SRP_AUTH, asked of a confirmed device in a sign-in (../../rules/device-sign-in.ts):
 * DEVICE_KEY (the session's) and SRP_A in, DEVICE_PASSWORD_VERIFIER out with SALT, SRP_B and
 * SECRET_BLOCK for the verifier ConfirmDevice stored. A device forgotten meanwhile is
 * ResourceNotFoundException. Assumed: the challenge's parameters also name USERNAME and DEVICE_KEY.
 */
export const deviceSrpAuth: Challenge = {
  checkForm (req) {
    if (typeof req.ChallengeResponses?.DEVICE_KEY !== 'string') throw new InvalidParameterError('Missing required parameter DEVICE_KEY')
    if (typeof req.ChallengeResponses.SRP_A !== 'string') throw new InvalidParameterError('Missing required parameter SRP_A')
  },
  async answer (req, bridge, { pool, user, held }) {
    const key = req.ChallengeResponses?.DEVICE_KEY
    const device = deviceOf(user, key === held.deviceKey ? key : undefined)
    const srp = serverStep(device.DeviceGroupKey, device.DeviceKey, { salt: String(device.Salt), verifier: String(device.Verifier) }, req.ChallengeResponses?.SRP_A)
    return {
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      ChallengeParameters: { ...challengeOf(srp), USERNAME: user.Username, DEVICE_KEY: device.DeviceKey },
      Session: bridge.sessions.issue(pool, user.Username, 'DEVICE_PASSWORD_VERIFIER', { srp, deviceKey: device.DeviceKey })
    }
  }
}

// The emulator: answering DEVICE_PASSWORD_VERIFIER of RespondToAuthChallenge.
import { signedIn } from '../../rules/authentication-result.ts'
import { deviceVerified } from '../../rules/device-sign-in.ts'
import { confirmedDevice } from '../../rules/devices.ts'
import { incorrectCredentials } from '../../rules/errors.ts'
import { checkClaimForm, verifyClaim } from '../../rules/srp.ts'
import type { Challenge } from './challenge.ts'

/**
 * DEVICE_PASSWORD_VERIFIER: the device's PASSWORD_CLAIM_SIGNATURE (over its group key, its key,
 * the session's SECRET_BLOCK and the TIMESTAMP) must prove the device secret its stored verifier
 * was made from; then the sign-in ends in tokens bound to the device, with no second factor.
 * Refused (the session spent, so a replay is refused too): 'Incorrect username or password.'
 * (assumed: AWS does not document the message for a device); a device forgotten meanwhile too.
 */
export const devicePasswordVerifier: Challenge = {
  checkForm (req) {
    checkClaimForm(req.ChallengeResponses)
  },
  async answer (req, bridge, { pool, user, held }) {
    const device = confirmedDevice(user, held.deviceKey)
    if (device === undefined || held.srp === undefined || !verifyClaim(held.srp, req.ChallengeResponses)) throw incorrectCredentials()
    await deviceVerified(bridge, pool, user, device)
    const current = await pool.getUserByUsername(bridge.ctx, user.Username) ?? user
    return await bridge.tokens.signInDevice.run(device.DeviceKey, () => signedIn(bridge, pool, current, req.ClientId))
  }
}

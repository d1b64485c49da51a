// What the server knows of the pool's device tracking (its DeviceConfiguration): read at start
// with admin credentials, else learned from what sign-ins and ConfirmDevice answer.
import type { DeviceConfigurationType } from '@aws-sdk/client-cognito-identity-provider'

/** The pool's device tracking, each part undefined while unknown. */
interface KnownPolicy {
  /** The pool tracks devices (any DeviceConfiguration property, AWS's rule). */
  tracks?: boolean
  /** DeviceOnlyRememberedOnUserPrompt: a device is remembered only when the user asks. */
  asksUser?: boolean
  /** ChallengeRequiredOnNewDevice: a remembered device skips the second factor (a new one is asked for it). */
  skipsSecondFactor?: boolean
}

export function devicePolicy () {
  const known: KnownPolicy = {}
  return {
    /** The pool's DeviceConfiguration, as DescribeUserPool answered it (undefined: none). */
    read (config: DeviceConfigurationType | undefined): void {
      known.tracks = config !== undefined && Object.keys(config).length > 0
      known.asksUser = config?.DeviceOnlyRememberedOnUserPrompt === true
      known.skipsSecondFactor = config?.ChallengeRequiredOnNewDevice === true
    },

    /** A sign-in was answered with a device (handed out or asked to prove itself): the pool tracks devices. */
    sawDevice (): void {
      known.tracks = true
    },

    /**
     * ConfirmDevice answered: `UserConfirmationNecessary` true only where the pool remembers a
     * device on the user's word. Learned without admin credentials; such a pool is assumed to let a
     * remembered device skip the second factor (ChallengeRequiredOnNewDevice), as the console's
     * "user opt-in" makes it, unless DescribeUserPool said otherwise.
     */
    sawConfirmation (userConfirmationNecessary: boolean): void {
      known.tracks = true
      known.asksUser = userConfirmationNecessary
    },

    /** Whether the pool may track devices: false only when known not to. */
    mayTrack: (): boolean => known.tracks !== false,

    /**
     * Whether "remember this browser" means something on a second factor's step: the pool tracks
     * devices, remembers one only when the user asks, and lets a remembered one skip the second factor.
     */
    asksToRemember: (): boolean => known.tracks === true && known.asksUser === true && known.skipsSecondFactor !== false
  }
}

export type DevicePolicy = ReturnType<typeof devicePolicy>

// A device's name for Cognito (and the devices list) from the browser's user agent: "Firefox on Linux".

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/Edg\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/Firefox\//, 'Firefox'], [/Chrome\/|CriOS\//, 'Chrome'], [/Safari\//, 'Safari'], [/curl\//, 'curl']
]
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'], [/Android/, 'Android'], [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'], [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux']
]

/** Cognito's DeviceName takes up to 1,024 characters; a name is for people, so a short one. */
const MAX_NAME = 64

/** "Browser on system" where both are known, the one that is, else the user agent cut short, else "Unknown browser". */
export function deviceName (userAgent: string | undefined): string {
  const ua = userAgent ?? ''
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1]
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`
  const name = browser ?? system ?? ua.replace(/[^\x20-\x7e]/g, '').trim().slice(0, MAX_NAME)
  return name === '' ? 'Unknown browser' : name
}

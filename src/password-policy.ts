/**
 * The password policy a pool for this server has: 8+ characters with upper and lower case and
 * digits. `npm run provision` creates pools with it, and the embedded emulator enforces it.
 */
export const PASSWORD_POLICY = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 7 }

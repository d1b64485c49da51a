// @simplewebauthn/server, loaded at the emulator's first passkey ceremony: most processes that start
// the emulator (every test file, most development runs) never hold one, and the import costs each about 0.2 s of CPU.
type WebAuthn = typeof import('@simplewebauthn/server') & typeof import('@simplewebauthn/server/helpers')

let loading: Promise<WebAuthn> | undefined

/** The library's functions and helpers, imported once. */
export async function webAuthn (): Promise<WebAuthn> {
  loading ??= Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')])
    .then(([server, helpers]) => ({ ...server, ...helpers }))
  return await loading
}

// Imported first by the server and every script: on a Node.js older than the supported ones, stop
// with one line before any dependency loads (they would print warnings, then mostly work).
/** The oldest Node.js the server runs on (package.json `engines`, `.nvmrc` names the recommended one). */
export const SUPPORTED_NODE = '22.15'

/** Whether `version` (`v20.20.2` or `20.20.2`) is at least SUPPORTED_NODE. */
export function nodeSupported (version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number)
  const [wantMajor = 0, wantMinor = 0] = SUPPORTED_NODE.split('.').map(Number)
  return major > wantMajor || (major === wantMajor && minor >= wantMinor)
}

if (!nodeSupported(process.version)) {
  console.error(`cognito-graphql-auth needs Node.js ${SUPPORTED_NODE} or later (24 LTS recommended); this is ${process.version}. With nvm: nvm install (it reads .nvmrc).`)
  process.exit(1)
}

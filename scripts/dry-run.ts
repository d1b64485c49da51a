// `--dry-run` for the scripts that create or change things in a user pool (npm run provision): the
// Cognito client answers the calls that only read (Describe…, Get…, List…) as usual, and prints the
// others with their input instead of sending them, answering with placeholders for what they
// would have created (a pool id, a client id), so that the script runs to its end and prints what
// it would have done.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'

const READ = /^(Describe|Get|List)/

/** What a call that was not sent answers: the ids the rest of the script carries on with. */
const PLACEHOLDERS: Record<string, unknown> = {
  CreateUserPool: { UserPool: { Id: '<new user pool id>' } },
  CreateUserPoolClient: { UserPoolClient: { ClientId: '<new app client id>' } }
}

/** Makes `cognito` a dry run: it prints each call that would create or change something, as `print` lines, and sends none of them. */
export function dryRun (cognito: CognitoIdentityProviderClient, print: (line: string) => void): CognitoIdentityProviderClient {
  const send = cognito.send.bind(cognito)
  /** What a Describe… of something only pretended to be created answers: the Create…'s input, with its placeholder id. */
  const pretended = new Map<string, unknown>()
  // The SDK's send is overloaded (callbacks, options): the scripts use the promise form only.
  cognito.send = (async (command: { constructor: { name: string }, input: Record<string, unknown> }) => {
    const name = command.constructor.name.replace(/Command$/, '')
    if (READ.test(name)) return JSON.stringify(command.input).includes('<new ') ? pretended.get(name) ?? {} : await send(command as unknown as Parameters<typeof send>[0])
    print(`# would call ${name}:`)
    for (const line of JSON.stringify(command.input, null, 2).split('\n')) print(`#   ${line}`)
    const answer = PLACEHOLDERS[name] as Record<string, Record<string, unknown>> | undefined
    for (const [key, ids] of Object.entries(answer ?? {})) pretended.set(`Describe${name.replace(/^Create/, '')}`, { [key]: { ...command.input, ...ids } })
    return answer ?? {}
  }) as typeof cognito.send
  return cognito
}

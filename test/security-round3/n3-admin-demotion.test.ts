// N3: a demoted administrator kept admin rights until their token expired, and could add itself
// back. Two instances on one pool (no shared store): the demotion counts at once on both, whoever
// made it (an administrator through the API, or the operator's script straight at Cognito).
import t, { type Test } from 'tap'
import { addToGroup, poolAdmin, removeFromGroup } from '../../scripts/admin.ts'
import { failsWith, RELAXED_LIMITS } from '../challenge-helpers.ts'
import { build, Client, emulatorBehindProxy, PASSWORD, registerUser, SIGN_IN } from '../helper.ts'

const USERS = '{ users(first: 5) { nodes { email } } }'
const PROMOTE = 'mutation ($e: String!, $g: String!) { adminAddUserToGroup(input: { email: $e, group: $g }) { groups } }'
const DEMOTE = 'mutation ($e: String!, $g: String!) { adminRemoveUserFromGroup(input: { email: $e, group: $g }) { groups } }'

/** Two instances of the server on one emulated pool, sharing nothing but Cognito and the cookie secret. */
async function twoInstances (t: Test) {
  const { emulator } = await emulatorBehindProxy(t)
  const env = { ...RELAXED_LIMITS, COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, COOKIE_SECRET: 's'.repeat(40) }
  const a = await build(t, { env, jwks: emulator.jwks })
  const b = await build(t, { env, jwks: emulator.jwks })
  const admin = poolAdmin({ region: emulator.region, userPoolId: emulator.userPoolId, endpoint: emulator.endpoint, credentials: { ...emulator.credentials } })
  t.teardown(() => admin.cognito.destroy())
  return { a, b, emulator, admin }
}

t.test('a demoted administrator loses the admin fields at once, on every instance, and cannot add itself back', async (t) => {
  const { a, b, emulator, admin } = await twoInstances(t)
  const group = a.config.adminGroup
  const demoted = await registerUser(new Client(a, emulator.mailbox))
  const other = await registerUser(new Client(a, emulator.mailbox))
  for (const email of [demoted, other]) await addToGroup(admin, email, group)

  const onA = new Client(a, emulator.mailbox)
  t.same((await onA.gql(SIGN_IN, { email: demoted, password: PASSWORD })).data?.signIn?.user?.groups, [group], 'signed in as an administrator')
  const onB = new Client(b, emulator.mailbox)
  for (const [name, value] of onA.jar) onB.jar.set(name, value)
  t.same(onB.jar.size > 0 && (await onB.gql(USERS)).errors, undefined, 'the admin fields work on both instances')
  const colleague = new Client(b, emulator.mailbox)
  await colleague.gql(SIGN_IN, { email: other, password: PASSWORD })

  t.same((await colleague.gql(DEMOTE, { e: demoted, g: group })).data?.adminRemoveUserFromGroup?.groups, [], 'demoted by a colleague through instance B')
  failsWith(t, await onA.gql(USERS), 'FORBIDDEN')
  failsWith(t, await onB.gql(USERS), 'FORBIDDEN')
  failsWith(t, await onA.gql(PROMOTE, { e: demoted, g: group }), 'FORBIDDEN')
  t.same((await colleague.gql(USERS)).errors, undefined, 'the colleague is still an administrator')

  // The operator's script, straight at Cognito: no instance is told, and still the rights end.
  await removeFromGroup(admin, other, group)
  failsWith(t, await colleague.gql(USERS), 'FORBIDDEN')
  failsWith(t, await colleague.gql(PROMOTE, { e: other, g: group }), 'FORBIDDEN')
})

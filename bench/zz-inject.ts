import Fastify from 'fastify'
import fp from 'fastify-plugin'
import mercurius from 'mercurius'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { serverOptions } from '../src/server-options.ts'

const env = { NODE_ENV: 'development', EMULATOR_DATA_DIR: '/tmp/exp/inj', LOG_LEVEL: 'silent', GRAPHIQL: 'false' }
const ours = Fastify(serverOptions(loadConfig(env)))
await ours.register(fp(app), { env })
await ours.ready()
const gql = async (query: string, variables: object, cookie?: string) => {
  const r = await ours.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...(cookie !== undefined ? { cookie } : {}) }, payload: JSON.stringify({ query, variables }) })
  return r
}
const email = `p${Date.now()}@example.com`
await gql('mutation($e:String!){ signUp(input:{email:$e,password:"Perf-Pass-123"}){userConfirmed} }', { e: email })
const code = (await ours.inject(`/dev/mailbox?to=${email}`)).json()[0].code
await gql('mutation($e:String!,$c:String!){ confirmSignUp(input:{email:$e,code:$c}) }', { e: email, c: code })
const s = await gql('mutation($e:String!){ signIn(input:{email:$e,password:"Perf-Pass-123"}){__typename} }', { e: email })
const cookie = (s.cookies as Array<{ name: string, value: string }>).filter((c) => !c.name.endsWith('device')).map((c) => `${c.name}=${c.value}`).join('; ')
console.log((await gql('{ me { id email } }', {}, cookie)).body)

const minimal = Fastify()
minimal.register(mercurius, { schema: 'type User { id: ID! email: String! } type Query { me: User }', resolvers: { Query: { me: () => ({ id: '1', email: 'a@b.c' }) } }, jit: 1 })
await minimal.ready()

async function time (name: string, f: () => Promise<unknown>, n = Number(process.env.N ?? 20000)) {
  for (let i = 0; i < 2000; i++) await f()
  const t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await f()
  console.log(name, (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(1), 'µs/req')
}
const body = JSON.stringify({ query: '{ me { id email } }' })
// await time('minimal mercurius', () => minimal.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', cookie }, payload: body }))
await time('ours me', () => ours.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', cookie }, payload: body }))
// await time('ours /health', () => ours.inject({ method: 'GET', url: '/health', headers: { cookie } }))
await ours.close()

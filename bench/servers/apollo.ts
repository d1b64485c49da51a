// (c) The common alternative: Apollo Server 5 on Express 5, verifying the same session cookies
// (access and id token) with aws-jwt-verify in its context function, answering the same `me`.
import { ApolloServer } from '@apollo/server'
import { expressMiddleware } from '@as-integrations/express5'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import express from 'express'
import type { AddressInfo } from 'node:net'
import { announce } from './announce.ts'

const { COGNITO_USER_POOL_ID: userPoolId = '', COGNITO_CLIENT_ID: clientId = '', COGNITO_ENDPOINT: endpoint = '' } = process.env
const accessVerifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' })
const idVerifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' })
const jwks = await (await fetch(`${endpoint}/${userPoolId}/.well-known/jwks.json`)).json() as Parameters<typeof accessVerifier.cacheJwks>[0]
accessVerifier.cacheJwks(jwks)
idVerifier.cacheJwks(jwks)

interface Context { me: { id: string, email: string } | null }

function cookies (header = ''): Map<string, string> {
  const jar = new Map<string, string>()
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=')
    if (at > 0) jar.set(pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim()))
  }
  return jar
}

async function context ({ req }: { req: { headers: { cookie?: string } } }): Promise<Context> {
  const jar = cookies(req.headers.cookie)
  try {
    const access = await accessVerifier.verify(jar.get('__Host-access') ?? '')
    const id = await idVerifier.verify(jar.get('__Host-id') ?? '')
    return { me: id.sub === access.sub ? { id: access.sub, email: String(id.email) } : null }
  } catch {
    return { me: null }
  }
}

const apollo = new ApolloServer<Context>({
  typeDefs: 'type Query { me: User }  type User { id: ID!, email: String! }',
  resolvers: { Query: { me: (_root: unknown, _args: unknown, ctx: Context) => ctx.me } }
})
await apollo.start()

const app = express()
app.use('/graphql', express.json(), expressMiddleware(apollo, { context }))
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  announce(`http://127.0.0.1:${port}`, async () => {
    await new Promise((resolve) => server.close(resolve))
    await apollo.stop()
  })
})

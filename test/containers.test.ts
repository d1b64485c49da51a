// No Docker engine runs here: the container files are checked for what the server expects.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { EnvSchema, loadConfig } from '../src/config.ts'

const root = join(import.meta.dirname, '..')
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { build?: { context: string, target?: string }, image?: string, environment?: Record<string, string>, ports?: string[], depends_on?: Record<string, unknown>, healthcheck?: unknown }>
}
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')

t.test('docker-compose.yml runs the server on its emulator with Redis, on the host loopback only', async (t) => {
  const auth = compose.services.auth
  const redis = compose.services.redis
  t.equal(auth?.build?.context, '.', 'the server is built from this repository')
  t.equal(auth?.build?.target, 'development', 'from the development stage, which has the emulator')
  t.match(dockerfile, /^FROM \S+ AS development$/m, 'the Dockerfile has that stage')
  t.match(redis?.image, /^redis:/, 'a Redis service')
  t.ok(redis?.healthcheck, 'Redis says when it is ready')
  t.ok(auth?.depends_on?.redis, 'the server waits for Redis')
  const env = auth?.environment ?? {}
  const known = new Set(Object.keys(EnvSchema.properties))
  t.same(Object.keys(env).filter((name) => !known.has(name)), [], 'every variable is one the server reads')
  t.equal(env.REDIS_URL, 'redis://redis:6379')
  t.equal(env.EMULATOR_EXPOSE, 'true', 'the emulator may listen beyond loopback inside the container')
  for (const port of auth?.ports ?? []) t.match(port, /^127\.0\.0\.1:/, `${port} is published on the host's loopback only`)
  t.ok((auth?.ports ?? []).length > 0)
  const config = loadConfig(env)
  t.equal(config.pool, undefined, 'no pool: the embedded emulator runs')
  t.equal(config.redisUrl, 'redis://redis:6379')
})

t.test('the Dockerfile: multi-stage, production dependencies only, non-root, health check', async (t) => {
  t.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'several stages')
  t.match(dockerfile, /npm ci --omit=dev/, 'the runtime stage has production dependencies only')
  t.match(dockerfile, /^USER node$/m, 'runs as a non-root user')
  t.match(dockerfile, /^HEALTHCHECK .*\n.*\/health/m, 'checks /health')
  t.match(dockerfile, /CMD \["node", "dist\/server\.js"\]/, 'runs the compiled server')
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>, devDependencies: Record<string, string> }
  t.notOk(pkg.dependencies['cognito-local'], 'the emulator is no production dependency: the production image does not carry it')
  t.ok(pkg.devDependencies['cognito-local'], 'development installs it')
  t.match(dockerfile, /^FROM node:24-/m, 'on Node 24 LTS')
  const last = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  t.match(last, /AS production/, 'the default (last) stage is production')
  t.match(last, /npm ci --omit=dev|--from=deps/, 'with the production dependencies only')
  t.match(last, /NODE_ENV=production/)
})

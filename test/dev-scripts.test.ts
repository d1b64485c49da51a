import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import t, { type Test as Tap } from 'tap'
import { pino } from 'pino'
import { runAdmin } from '../scripts/admin.ts'
import { runEmulatorReset } from '../scripts/emulator-reset.ts'
import { runProvision } from '../scripts/provision.ts'
import { startEmulator } from '../src/dev/emulator.ts'
import { nodeSupported } from '../src/node-version.ts'
import { runCommand } from './helper.ts'

const root = join(import.meta.dirname, '..')

/** The CLI in-process: its exit code and what it printed. */
async function cli (main: typeof runAdmin, argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, env, (line) => out.push(line), (line) => err.push(line))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** A data directory the emulator made and left, as a stopped `npm start` leaves it. */
async function emulatorDataDir (dir: string): Promise<string> {
  const emulator = await startEmulator({ dataDir: dir, logger: pino({ level: 'silent' }) })
  await emulator.close()
  writeFileSync(join(dir, 'cookie-secret'), 'x'.repeat(43), { mode: 0o600 })
  return dir
}

/** A loopback port nothing listens on (any more). */
async function closedPort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

t.test('npm run <script> -- --help prints the usage and exits 0', async (t) => {
  const results = await Promise.all(['admin', 'provision', 'emulator:reset', 'doctor'].map((name) => runCommand('npm', ['run', '--silent', name, '--', '--help'])))
  for (const [name, result] of ['admin', 'provision', 'emulator:reset', 'doctor'].map((name, i) => [name, results[i]] as const)) {
    t.equal(result?.code, 0, `${name}: ${result?.stderr}`)
    t.match(result?.stdout, new RegExp(`^usage: npm run ${name}`), `${name} prints its usage`)
    t.equal(result?.stderr, '', `${name}: nothing on stderr`)
  }
})

t.test('-h and --help everywhere on the command line; an unknown option is still a usage error', async (t) => {
  for (const [main, name] of [[runAdmin, 'admin'], [runProvision, 'provision'], [runEmulatorReset, 'emulator:reset']] as const) {
    for (const argv of [['-h'], ['--help']]) {
      const { code, out } = await cli(main, argv)
      t.equal(code, 0, `${name} ${argv[0]}`)
      t.match(out, `usage: npm run ${name}`)
    }
    const wrong = await cli(main, ['--nope'])
    t.equal(wrong.code, 2, `${name} --nope`)
    t.match(wrong.err, /Unknown option '--nope'[\s\S]*usage:/)
  }
  t.equal((await cli(runAdmin, ['disable', 'ada@example.com', '--help'])).code, 0, 'admin: --help after a command')
})

t.test('emulator:reset deletes a data directory the emulator left', async (t) => {
  const dir = await emulatorDataDir(join(t.testdir(), 'data'))
  t.same(readdirSync(dir).sort(), ['admin-credentials.json', 'cookie-secret', 'db', 'signing-key.json'])
  const { code, out } = await cli(runEmulatorReset, [], { EMULATOR_DATA_DIR: dir })
  t.equal(code, 0)
  t.match(out, `deleted ${dir}`)
  t.notOk(existsSync(dir))

  const again = await cli(runEmulatorReset, ['--data-dir', dir])
  t.equal(again.code, 0, 'nothing to delete is no failure')
  t.match(again.out, 'nothing to delete')
})

t.test('emulator:reset deletes the directory of a server that crashed (its address answers no more)', async (t) => {
  const dir = await emulatorDataDir(join(t.testdir(), 'data'))
  writeFileSync(join(dir, 'emulator.json'), JSON.stringify({ endpoint: `http://127.0.0.1:${await closedPort()}`, region: 'eu-west-1', userPoolId: 'eu-west-1_LocalPool1', clientId: 'c' }))
  t.equal((await cli(runEmulatorReset, ['--data-dir', dir])).code, 0)
  t.notOk(existsSync(dir))
})

t.test('emulator:reset refuses anything that is not only an emulator data directory', async (t) => {
  const dirs = t.testdir({
    project: { 'package.json': '{}', src: { 'app.ts': '' } },
    mixed: { 'signing-key.json': '{}', db: { 'clients.json': '{}' }, 'notes.txt': 'mine' },
    'db-with-more': { 'signing-key.json': '{}', db: { 'clients.json': '{}', 'backup.tar': '' } },
    unmarked: { 'cookie-secret': 'x' },
    file: 'not a directory'
  })
  const cases = [
    ['project', /holds more than the emulator's files \(package\.json, src\)/],
    ['mixed', /holds more than the emulator's files \(notes\.txt\)/],
    ['db-with-more', /db holds more than the emulator's pools \(backup\.tar\)/],
    ['unmarked', /does not look like the emulator's data directory/],
    ['file', /is not a directory/]
  ] as const
  for (const [name, reason] of cases) {
    const dir = join(dirs, name)
    const { code, err } = await cli(runEmulatorReset, ['--data-dir', dir])
    t.equal(code, 1, name)
    t.match(err, reason, name)
    t.ok(existsSync(dir), `${name} is left in place`)
  }
  t.ok(existsSync(join(dirs, 'mixed', 'signing-key.json')), 'nothing inside is deleted either')
  mkdirSync(join(dirs, 'empty'))
  t.match((await cli(runEmulatorReset, ['--data-dir', join(dirs, 'empty')])).out, 'nothing to delete', 'an empty directory')
})

/** `npm start` in development on `dataDir` (killed at teardown): the child, its output so far (colours stripped), and its browser address once it printed it. */
async function npmStart (t: Tap, dataDir: string, env: Record<string, string> = {}) {
  // As a terminal has it: FORCE_COLOR without tap's NO_COLOR (Node warns when both are set).
  const { NO_COLOR: _noColor, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...(env.FORCE_COLOR === undefined ? process.env : inherited), NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', EMULATOR_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let raw = ''
  child.stdout.on('data', (chunk) => { raw += String(chunk) })
  child.stderr.on('data', (chunk) => { raw += String(chunk) })
  // In a terminal tap sets FORCE_COLOR, and pino-pretty colours its lines: what is read is the text.
  const output = () => stripVTControlCharacters(raw)
  const base = await new Promise<string | undefined>((resolve, reject) => {
    // Generous: on a machine loaded with parallel test files a start can take half a minute.
    const timer = setTimeout(() => reject(new Error(`no start line: ${output()}`)), 120_000)
    const read = () => {
      const match = /GraphQL API at (http:\/\/localhost:\d+)\/graphql/.exec(output())
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
    }
    child.stdout.on('data', read)
    child.once('exit', () => { clearTimeout(timer); resolve(undefined) })
  })
  return { child, output, base }
}

t.test('npm start in development: readable lines, localhost URLs, the SPA; one server per data directory; emulator:reset waits for it to stop', { skip: !existsSync(join(root, 'node_modules/.bin/tsx')) && 'tsx is not installed' }, async (t) => {
  const dataDir = t.testdir()
  const { child, output, base } = await npmStart(t, dataDir, { FORCE_COLOR: '1' })
  t.ok(base, 'it starts')
  t.match(output(), `GraphiQL at ${base}/graphiql, example SPA at ${base}/spa/, dev mailbox at ${base}/dev/mailbox`, 'every address with localhost')
  t.equal((await fetch(`${base}/spa/`)).status, 200, 'the SPA answers at the printed address')
  t.equal((await fetch(`${base}/spa/js/main.js`)).status, 200, 'and its modules')
  const id = (await fetch(`${base}/health`)).headers.get('x-request-id') as string
  while (!output().includes(id)) await new Promise((resolve) => setTimeout(resolve, 20))
  const lines = output().trim().split('\n')
  t.ok(lines.every((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+: /.test(line)), 'readable lines, not JSON, even coloured (FORCE_COLOR=1)', { output: output() })
  t.ok(lines.some((line) => new RegExp(`\\] INFO: GET /health 200 \\d+ ms ${id}$`).test(line)), 'a request is one short line: method, path, status, ms, request id', { output: output() })
  t.ok(lines.some((line) => /INFO: GET \/spa\/ 200 \d+ ms \S+$/.test(line)), 'the page is logged')
  t.notMatch(output(), /main\.js/, 'its static files are not (debug)')

  const second = await npmStart(t, dataDir)
  t.equal(second.base, undefined, 'a second server on the same data directory does not start')
  t.equal(second.child.exitCode, 1)
  t.match(second.output().trim(), new RegExp(`^\\S+ is in use by npm start \\(pid ${child.pid}, ${base}, since [^)]+\\): stop it first, or set EMULATOR_DATA_DIR to another directory$`), 'one line naming the running one')
  t.equal((await fetch(`${base}/health`)).status, 200, 'the first one still serves')
  t.ok(existsSync(join(dataDir, 'emulator.json')), 'and keeps its address file, for npm run admin')

  // npm run spa: the SPA on a port of its own, pointed at this server's real address (not PORT's 3000).
  const spa = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve-spa.ts'], { cwd: root, env: { ...process.env, SPA_PORT: '0', EMULATOR_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { spa.kill() })
  let spaOutput = ''
  spa.stdout.on('data', (chunk) => { spaOutput += String(chunk) })
  while (!spaOutput.includes('CORS_ORIGINS') && spa.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
  t.match(spaOutput, new RegExp(`^The example SPA: http://localhost:\\d+/\\?api=${base}\nThe API at ${base} must allow this origin: CORS_ORIGINS=http://localhost:\\d+ npm start`), 'npm run spa prints the API\'s real address')
  spa.kill()

  const refused = await cli(runEmulatorReset, ['--data-dir', dataDir])
  t.equal(refused.code, 1)
  t.match(refused.err, new RegExp(`is in use by npm start \\(pid ${child.pid}, ${base}, since .*\\): stop it first`))
  t.ok(existsSync(join(dataDir, 'signing-key.json')), 'nothing is deleted while it runs')

  child.kill('SIGTERM')
  t.equal((await once(child, 'exit'))[0], 0)
  t.equal((await cli(runEmulatorReset, ['--data-dir', dataDir])).code, 0, 'once it stopped')
  t.notOk(existsSync(dataDir))
})

t.test('emulator:reset takes over the lock of a process that is gone, and never deletes under a live one', async (t) => {
  const dir = await emulatorDataDir(join(t.testdir(), 'data'))
  const gone = spawn(process.execPath, ['-e', ''])
  await once(gone, 'exit')
  writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: gone.pid, command: 'npm start', since: new Date().toISOString(), token: 'x' }))
  t.equal((await cli(runEmulatorReset, ['--data-dir', dir])).code, 0, 'a crashed server\'s lock does not block')
  t.notOk(existsSync(dir))

  const held = await emulatorDataDir(join(t.testdir(), 'held'))
  // A live process that holds the lock and answers nothing (the address file plays no part).
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
  t.teardown(() => { sleeper.kill() })
  writeFileSync(join(held, 'lock.json'), JSON.stringify({ pid: sleeper.pid, command: 'npm run emulator', since: new Date().toISOString(), token: 'y' }))
  const refused = await cli(runEmulatorReset, ['--data-dir', held])
  t.equal(refused.code, 1)
  t.match(refused.err, `is in use by npm run emulator (pid ${sleeper.pid}`)
  t.ok(existsSync(join(held, 'db')), 'everything is left in place')
})

/** A Node.js on this machine older than the supported ones (Debian's is 20), if there is one. */
function oldNode (): string | undefined {
  const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
  return [...new Set([...found, '/usr/bin/node', '/usr/local/bin/node'])].find((path) => {
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim()
    return version !== undefined && /^v\d/.test(version) && !nodeSupported(version)
  })
}

t.test('on a Node.js older than 22.15 the server and the scripts refuse to start, in one line', async (t) => {
  t.ok(nodeSupported('v22.15.0') && nodeSupported('v24.1.0') && nodeSupported('23.0.0'), 'supported')
  t.notOk(nodeSupported('v22.14.9') || nodeSupported('v20.20.2') || nodeSupported('v18.0.0'), 'older')
  const node = oldNode()
  if (node === undefined) {
    t.comment('no Node.js older than 22.15 on this machine: the refusal itself is not run')
    return
  }
  for (const entry of ['src/server.ts', 'scripts/admin.ts', 'scripts/emulator-reset.ts']) {
    const result = spawnSync(node, ['--import', 'tsx', entry, '--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, EMULATOR_DATA_DIR: t.testdir() } })
    t.equal(result.status, 1, `${entry} exits 1`)
    t.equal(result.stdout, '', 'prints nothing else')
    t.match(result.stderr, /^cognito-graphql-auth needs Node\.js 22\.15 or later \(24 LTS recommended\); this is v\d+\.\d+\.\d+\. With nvm: nvm install \(it reads \.nvmrc\)\.\n$/, `${entry}: one line naming the supported versions`)
  }
})

t.test('a taken port is one line, and the emulator it started is stopped', async (t) => {
  const taken = createServer().listen(0, '127.0.0.1')
  await once(taken, 'listening')
  t.teardown(() => taken.close())
  const { port } = taken.address() as { port: number }
  const dataDir = t.testdir()
  const { child, output, base } = await npmStart(t, dataDir, { PORT: String(port) })
  t.equal(base, undefined, 'it does not start')
  if (child.exitCode === null) await once(child, 'exit')
  t.equal(child.exitCode, 1)
  const lines = output().trim().split('\n').filter((line) => !/^\[[\d:.]+\] INFO: /.test(line))
  t.same(lines, [`port ${port} on 127.0.0.1 is taken (another server listens there): stop it, or set PORT to another port`], 'one line besides the start\'s own log lines')
  t.notOk(existsSync(join(dataDir, 'lock.json')), 'the data directory is free again')
  t.notOk(existsSync(join(dataDir, 'emulator.json')))
})

t.test('npm run codegen says what it wrote', async (t) => {
  const check = await runCommand(process.execPath, ['--import', 'tsx', 'scripts/codegen.ts', '--check'])
  if (check.code !== 0) return t.plan(0, `the generated files are stale here: ${check.stderr}`)
  const result = await runCommand(process.execPath, ['--import', 'tsx', 'scripts/codegen.ts'])
  t.equal(result.code, 0)
  t.equal(result.stdout, 'schema.graphql: up to date\nsrc/graphql/generated.ts: up to date\nsrc/client/generated.ts: up to date\n', 'each file, and whether it changed')
})

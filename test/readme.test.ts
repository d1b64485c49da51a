// The documentation's commands as written. The curl session of docs/development.md, run against
// `npm start` (the server in development on a fresh emulator), with only the port changed: every
// `# …` line under a command is what the page says it prints; the JSON answers are compared
// whole, except the values that differ from run to run (ids, times, codes), and the Set-Cookie
// lines by name and attributes. The nginx configurations shown are the file the nginx test runs;
// every `npm run` script the README names exists. (The README's plugin example and install routes
// run in test/package.test.ts; its development start in test/dev-scripts.test.ts.)
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const development = readFileSync(join(root, 'docs', 'development.md'), 'utf8')
const proxy = readFileSync(join(root, 'docs', 'proxy.md'), 'utf8')

/** The first ```sh block after `heading` in `page`. */
function shellBlock (page: string, heading: string): string {
  const section = page.slice(page.indexOf(heading))
  const match = /```sh\n([\s\S]*?)```/.exec(section)
  if (match?.[1] === undefined) throw new Error(`no sh block after ${heading}`)
  return match[1]
}

interface Step { command: string, expected: string[] }

/** Commands with the `# …` lines that follow each (comments before a command are prose). */
function steps (block: string): Step[] {
  const result: Step[] = []
  for (const line of block.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('# ')) {
      result.at(-1)?.expected.push(line.slice(2))
      continue
    }
    result.push({ command: line, expected: [] })
  }
  // A comment line before a command belongs to the prose, not to the command before it.
  for (const step of result) step.expected = step.expected.filter((e) => e.startsWith('{') || e.startsWith('[') || e.startsWith('set-cookie:'))
  return result
}

/** Values that change from run to run. */
const VOLATILE = new Set(['id', 'expiresAt', 'sentAt', 'code'])
function normalise (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? typeof v : normalise(v)]))
}

const cookieShape = (line: string) => {
  const [nameValue = '', ...attributes] = line.replace(/^set-cookie:\s*/i, '').split(/;\s*/)
  return { name: nameValue.split('=')[0], attributes: attributes.map((a) => a.replace(/=\d+$/, '=N')).sort() }
}

const haveCurl = spawnSync('curl', ['--version']).status === 0

t.test('the curl session of docs/development.md runs as written', { skip: !haveCurl && 'curl is not installed' }, async (t) => {
  const dataDir = t.testdir()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', EMULATOR_DATA_DIR: join(dataDir, 'emulator'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  const port = await new Promise<string>((resolve, reject) => {
    // Generous: on a machine loaded with parallel test files a start can take half a minute.
    const timer = setTimeout(() => reject(new Error(`no start line: ${output}`)), 120_000)
    child.stdout.on('data', (chunk) => {
      output += String(chunk)
      const match = /GraphQL API at http:\/\/localhost:(\d+)\/graphql/.exec(output)
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
    })
  })

  const session = steps(shellBlock(development, '## A session with curl'))
  t.ok(session.length >= 7, 'the session has its commands')
  const marker = '@@README-STEP@@'
  const script = ['set -e', ...session.map((s) => `${s.command.replaceAll('localhost:3000', `localhost:${port}`)}\necho; echo ${marker}`)].join('\n')
  const run = spawnSync('bash', ['-c', script], { cwd: dataDir, encoding: 'utf8', timeout: 60_000 })
  t.equal(run.status, 0, `the session runs without an error ${run.stderr}`)
  const outputs = run.stdout.split(`${marker}\n`)

  session.forEach((step, n) => {
    const out = (outputs[n] ?? '').trim()
    const lines = out.split(/\r?\n/)
    for (const expected of step.expected) {
      if (expected.startsWith('set-cookie:')) {
        const want = cookieShape(expected)
        const got = lines.filter((l) => /^set-cookie:/i.test(l)).map(cookieShape).find((c) => c.name === want.name)
        t.same(got, want, `step ${n + 1} sets ${want.name} as the page shows`)
      } else {
        const body = lines.at(-1) ?? ''
        t.same(normalise(JSON.parse(body)), normalise(JSON.parse(expected)), `step ${n + 1} answers as the page shows: ${step.command.slice(0, 60)}…`)
      }
    }
  })

  child.kill('SIGTERM')
  await once(child, 'exit')
})

t.test('the nginx configuration shown is examples/nginx/nginx.conf, which test/nginx.test.ts runs', async (t) => {
  const file = readFileSync(join(root, 'examples/nginx/nginx.conf'), 'utf8')
  const whole = /```nginx\n([\s\S]*?)```/.exec(proxy.slice(proxy.indexOf('**nginx** (`auth_request`)')))?.[1]
  t.equal(whole, file, 'docs/proxy.md shows the file as it is')
  const excerpt = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const lines = new Set(file.split('\n').map((line) => line.trim()))
  const foreign = excerpt.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !lines.has(line))
  t.ok(excerpt.length > 0, 'the README shows its heart')
  t.same(foreign, [], 'every line of the README\'s excerpt is a line of the file')
})

t.test('every npm script the README and the docs name exists, and the README stays short', async (t) => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  const pages = [readme, development, proxy, readFileSync(join(root, 'docs', 'operations.md'), 'utf8'), readFileSync(join(root, 'docs', 'endpoints.md'), 'utf8')]
  const named = new Set(pages.flatMap((page) => [...page.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1] as string)))
  const missing = [...named].filter((name) => !(name in scripts))
  t.same(missing, [], 'no command names a script that does not exist')
  t.ok(readme.split('\n').length <= 300, `the README has ${readme.split('\n').length} lines (at most 300: the rest is in docs/)`)
  t.match(readme, /npm run build\nNODE_ENV=production COOKIE_SECRET=… [^\n]*npm run start:prod/, 'the variables go to start:prod, after the build (test/package.test.ts runs it)')
})

// The README's curl session, run as written against `npm start` (the server in development on a
// fresh emulator), with only the port changed. Every `# …` line under a command is what the
// README says it prints: the JSON answers are compared whole, except the values that differ from
// run to run (ids, times, codes), and the Set-Cookie lines by name and attributes.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

/** The first ```sh block after `heading`. */
function shellBlock (heading: string): string {
  const section = readme.slice(readme.indexOf(heading))
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

t.test('the README\'s curl session runs as written', { skip: !haveCurl && 'curl is not installed' }, async (t) => {
  const dataDir = t.testdir()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', EMULATOR_DATA_DIR: join(dataDir, 'emulator'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line: ${output}`)), 30_000)
    child.stdout.on('data', (chunk) => {
      output += String(chunk)
      const match = /GraphQL API at http:\/\/localhost:(\d+)\/graphql/.exec(output)
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
    })
  })

  const session = steps(shellBlock('## A session with curl'))
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
        t.same(got, want, `step ${n + 1} sets ${want.name} as the README shows`)
      } else {
        const body = lines.at(-1) ?? ''
        t.same(normalise(JSON.parse(body)), normalise(JSON.parse(expected)), `step ${n + 1} answers as the README shows: ${step.command.slice(0, 60)}…`)
      }
    }
  })

  child.kill('SIGTERM')
  await once(child, 'exit')
})

t.test('the README shows examples/nginx/nginx.conf as it is', async (t) => {
  const section = readme.slice(readme.indexOf('**nginx** (`auth_request`)'))
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1]
  t.equal(block, readFileSync(join(root, 'examples/nginx/nginx.conf'), 'utf8'), 'the block is the file the nginx test runs')
})

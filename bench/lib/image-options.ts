// The memory settings the production image ships, read from the Dockerfile's production stage
// (its ENV NODE_OPTIONS and MALLOC_ARENA_MAX), so that the bench measures what is deployed: (bt) is
// (b) under them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoDir } from './processes.ts'

const SETTINGS = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX']

/** The production stage's ENV values of NODE_OPTIONS and MALLOC_ARENA_MAX (those it sets). */
export function imageMemorySettings (dockerfile = join(repoDir, 'Dockerfile')): Record<string, string> {
  // Continuation lines joined, comments dropped: one instruction a line.
  const instructions = readFileSync(dockerfile, 'utf8').replace(/^\s*#.*$/gm, '').replace(/\\\n/g, ' ').split('\n')
  const stage = instructions.findIndex((line) => /^FROM\s+\S+\s+AS\s+production\s*$/i.test(line.trim()))
  if (stage < 0) throw new Error('the Dockerfile has no stage named production')
  const settings: Record<string, string> = {}
  for (const line of instructions.slice(stage + 1)) {
    if (/^FROM\s/i.test(line.trim())) break
    const env = /^ENV\s+(.*)$/i.exec(line.trim())?.[1]
    if (env === undefined) continue
    for (const [, name = '', quoted, plain] of env.matchAll(/([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) {
      if (SETTINGS.includes(name)) settings[name] = quoted ?? plain ?? ''
    }
  }
  return settings
}

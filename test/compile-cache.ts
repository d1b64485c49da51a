// Loaded before every test file (package.json's tap "node-arg"): Node's compile cache, for the test
// processes and every Node process they start (npm, the scripts, the packed app), so that each
// of them does not compile the same dependencies again.
import { enableCompileCache } from 'node:module'
import { join } from 'node:path'

const dir = process.env.NODE_COMPILE_CACHE ?? join(import.meta.dirname, '..', 'node_modules', '.cache', 'node-compile-cache')
process.env.NODE_COMPILE_CACHE = dir
enableCompileCache(dir)

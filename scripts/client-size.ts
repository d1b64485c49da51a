// The size of the browser client (cognito-graphql-auth/client) as a page ships it: src/client
// bundled and minified by esbuild, then gzipped. `npm run build` runs this file, which prints the
// size and fails past the budget; test/client-size.test.ts prints it too.
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** At most this many bytes, minified and gzipped. */
export const CLIENT_BUDGET_BYTES = 8 * 1024

const entry = fileURLToPath(new URL('../src/client/index.ts', import.meta.url))

/** The client bundled and minified (an ES module, for today's browsers), its sizes, and the files it is made of. */
export async function measureClient (): Promise<{ code: string, minified: number, gzipped: number, inputs: string[] }> {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', target: 'es2022', platform: 'browser', write: false, metafile: true, logLevel: 'silent' })
  const [output] = result.outputFiles
  if (output === undefined) throw new Error('esbuild wrote no bundle')
  return { code: output.text, minified: output.contents.byteLength, gzipped: gzipSync(output.contents).byteLength, inputs: Object.keys(result.metafile.inputs).sort() }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzipped } = await measureClient()
  console.log(`cognito-graphql-auth/client: ${minified} bytes minified, ${gzipped} bytes minified and gzipped (budget ${CLIENT_BUDGET_BYTES})`)
  if (gzipped > CLIENT_BUDGET_BYTES) {
    console.error(`the browser client is over its budget of ${CLIENT_BUDGET_BYTES} bytes gzipped: make it smaller`)
    process.exit(1)
  }
}

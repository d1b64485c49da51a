// The browser client's size as a page ships it (bundled, minified, gzipped): within its budget,
// printed, and made of src/client alone (no runtime dependency).
import t from 'tap'
import { CLIENT_BUDGET_BYTES, measureClient } from '../scripts/client-size.ts'

t.test('cognito-graphql-auth/client: at most 8 KB minified and gzipped, with no dependency', async (t) => {
  const { minified, gzipped, inputs, code } = await measureClient()
  t.comment(`cognito-graphql-auth/client: ${minified} bytes minified, ${gzipped} bytes minified and gzipped (budget ${CLIENT_BUDGET_BYTES})`)
  t.ok(gzipped <= CLIENT_BUDGET_BYTES, `${gzipped} bytes gzipped, within ${CLIENT_BUDGET_BYTES}`)
  t.equal(CLIENT_BUDGET_BYTES, 8192)
  t.same(inputs.filter((file) => !file.startsWith('src/client/')), [], 'every file of the bundle is in src/client')
  t.ok(inputs.includes('src/client/generated.ts'), 'the generated operations are in it')
  t.notMatch(code, /\bimport\s*[({"'*]|\brequire\(/, 'the bundle imports nothing')
})

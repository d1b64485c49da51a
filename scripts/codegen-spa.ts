// Builds the example SPA (examples/spa) from its TypeScript, with no bundler:
//
//   1. graphql-codegen's client preset reads every `graphql(`…`)` document of examples/spa/src
//      and the server's schema, and writes examples/spa/src/gql/ (the documents, typed);
//   2. its persisted documents (SHA-256 of each document's text → the text), and those of the
//      browser client cognito-graphql-auth/client (scripts/client-operations.ts), become the
//      server's manifest, schema/persisted-operations.json (what PERSISTED_OPERATIONS=only accepts),
//      every selection with `__typename`, which normalising caches (Apollo Client, urql's
//      Graphcache) need to store an object: the manifest serves them too;
//   3. tsc compiles examples/spa/src to plain ES modules in examples/spa/js, which the page loads.
//
// Every output is committed, so the page runs without a build step. `npm run codegen:spa` writes
// them; `npm run codegen:spa -- --check` writes nothing and fails when one is stale.
import '../src/node-version.ts'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { codegen } from '@graphql-codegen/core'
import { addTypenameSelectionDocumentTransform, preset, type ClientPresetConfig } from '@graphql-codegen/client-preset'
import { buildSchema, parse, printSchema } from 'graphql'
import ts from 'typescript'
import { loadSchemaSDL } from '../src/graphql/schema.ts'
import { clientOperations } from './client-operations.ts'

const root = resolve(import.meta.dirname, '..')
const spa = join(root, 'examples', 'spa')
const sources = join(spa, 'src')
const generatedDir = join(sources, 'gql')
const compiledDir = join(spa, 'js')
const manifestFile = join(root, 'schema', 'persisted-operations.json')

/** A document as the preset takes it: where it was found, its text, its AST. */
type DocumentFile = Parameters<typeof preset.buildGeneratesSection>[0]['documents'][number]

/** Every file under `dir` (none when it does not exist), absolute. */
function filesUnder (dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
  } catch {
    return []
  }
}

/** The documents of the SPA's `graphql(`…`)` calls, found with TypeScript's parser. */
function documentsOf (files: string[]): DocumentFile[] {
  const documents: DocumentFile[] = []
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'graphql') {
        const [argument] = node.arguments
        if (argument === undefined || !ts.isNoSubstitutionTemplateLiteral(argument)) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart())
          throw new Error(`${relative(root, file)}:${line + 1}: graphql() takes one template literal without substitutions`)
        }
        documents.push({ location: relative(root, file), rawSDL: argument.text, document: parse(argument.text) })
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return documents
}

/** The client preset's files: src/gql/graphql.ts and gql.ts, and the persisted documents. */
async function generate (): Promise<{ files: Map<string, string>, manifest: string }> {
  const schemaAst = buildSchema(loadSchemaSDL())
  const spaSources = filesUnder(sources).filter((file) => file.endsWith('.ts') && !file.startsWith(generatedDir + '/'))
  const presetConfig: ClientPresetConfig = {
    fragmentMasking: false,
    skipIndexFile: true,
    // Each document of the SPA becomes its hash alone (`__meta__.hash`), its text goes to the
    // manifest: the SHA-256 hex of the text, as Apollo's `persistedQuery.sha256Hash` names it.
    persistedDocuments: {
      mode: 'replaceDocumentWithHash',
      hashAlgorithm: (document) => createHash('sha256').update(document, 'utf8').digest('hex')
    }
  }
  const outputs = await preset.buildGeneratesSection({
    baseOutputDir: `${relative(root, generatedDir)}/`,
    presetConfig,
    plugins: [],
    pluginMap: {},
    schema: parse(printSchema(schemaAst)),
    schemaAst,
    // The preset's own transform, as graphql-codegen's configuration file names it in `documentTransforms`.
    documents: addTypenameSelectionDocumentTransform.transform({ documents: documentsOf(spaSources) } as Parameters<typeof addTypenameSelectionDocumentTransform.transform>[0]) as DocumentFile[],
    config: {
      // No graphql-js in the browser: documents are not parsed there, and here they are hashes.
      documentMode: 'string',
      useTypeImports: true,
      importExtension: '.ts',
      enumType: 'string-literal',
      scalars: { DateTime: 'string' },
      strictScalars: true
    }
  })
  const files = new Map<string, string>()
  let manifest: string | undefined
  for (const output of outputs) {
    const content = await codegen(output)
    if (output.filename.endsWith('persisted-documents.json')) manifest = content + '\n'
    else files.set(join(root, output.filename), content.endsWith('\n') ? content : content + '\n')
  }
  if (manifest === undefined) throw new Error('the client preset wrote no persisted documents')
  // The browser client's documents after the SPA's: one manifest for every client of the server.
  const clientDocuments = Object.fromEntries(clientOperations(schemaAst).map(({ hash, document }) => [hash, document]))
  return { files, manifest: JSON.stringify({ ...JSON.parse(manifest), ...clientDocuments }, null, 2) + '\n' }
}

/** examples/spa/src compiled by its tsconfig, the generated files taken from `overlay`; fails on any type error. */
function compile (overlay: Map<string, string>): Map<string, string> {
  const configFile = join(spa, 'tsconfig.json')
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile)
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'))
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, spa, undefined, configFile)
  const host = ts.createCompilerHost(parsed.options)
  const { readFile, fileExists, directoryExists } = host
  host.readFile = (file) => overlay.get(resolve(file)) ?? readFile.call(host, file)
  host.fileExists = (file) => overlay.has(resolve(file)) || fileExists.call(host, file)
  host.directoryExists = (dir) => [...overlay.keys()].some((file) => file.startsWith(resolve(dir) + '/')) || (directoryExists?.call(host, dir) ?? true)
  const rootNames = [...new Set([...parsed.fileNames.map((file) => resolve(file)), ...overlay.keys()])]
  const program = ts.createProgram({ rootNames, options: parsed.options, host })

  const compiled = new Map<string, string>()
  const { diagnostics } = program.emit(undefined, (file, text) => {
    const source = relative(spa, file).replace(/^js\//, 'src/').replace(/\.js$/, '.ts')
    const body = text.replace(/^\/\* eslint-disable \*\/\n/, '')
    compiled.set(resolve(file), `// Compiled from ${source} by \`npm run codegen:spa\`: edit that file, not this one.\n/* eslint-disable */\n${body}`)
  })
  const problems = [...ts.getPreEmitDiagnostics(program), ...diagnostics]
  if (problems.length > 0) {
    const formatHost = { getCanonicalFileName: (file: string) => file, getCurrentDirectory: () => root, getNewLine: () => '\n' }
    const formatted = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext(problems, formatHost) : ts.formatDiagnostics(problems, formatHost)
    throw new Error(`the SPA does not compile:\n${formatted}`)
  }
  return compiled
}

let wanted: Map<string, string>
try {
  const { files: generated, manifest } = await generate()
  wanted = new Map([...generated, ...compile(generated), [manifestFile, manifest]])
} catch (err) {
  // A document the schema refuses, or a type error: the message says where.
  console.error((err as Error).message)
  process.exit(1)
}
// Files left over in the generated directories (a module that was renamed or removed).
const leftovers = [...filesUnder(generatedDir), ...filesUnder(compiledDir)].filter((file) => !wanted.has(file))

if (process.argv.includes('--check')) {
  const stale = [...wanted].filter(([file, content]) => {
    try {
      return readFileSync(file, 'utf8') !== content
    } catch {
      return true
    }
  }).map(([file]) => file)
  const problems = [...stale.map((file) => `stale or missing: ${relative(root, file)}`), ...leftovers.map((file) => `left over: ${relative(root, file)}`)]
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\nThe example SPA's generated files are out of date: run \`npm run codegen:spa\``)
    process.exit(1)
  }
} else {
  for (const file of leftovers) rmSync(file)
  for (const [file, content] of wanted) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  console.log(`wrote ${relative(root, generatedDir)}/, ${relative(root, compiledDir)}/ and ${relative(root, manifestFile)}`)
}

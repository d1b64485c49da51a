// Builds the example SPA (examples/spa) from its TypeScript, with no bundler, and the server's
// manifest of persisted operations:
//
//   1. graphql-codegen's client preset reads every `graphql(`…`)` document of an app's own
//      operations (examples/codegen-preset/src, the recipe of docs/clients.md) and the server's
//      schema, and writes examples/codegen-preset/src/gql/ (the documents, typed);
//   2. its persisted documents (SHA-256 of each document's text → the text), and those of the
//      browser client cognito-graphql-auth/client (scripts/client-operations.ts), become the
//      server's manifest, schema/persisted-operations.json (what PERSISTED_OPERATIONS=only accepts),
//      every selection with `__typename`, which normalising caches (Apollo Client, urql's
//      Graphcache) need to store an object: the manifest serves them too;
//   3. tsc compiles examples/spa/src, and the browser client it imports (src/client, by its package
//      name `cognito-graphql-auth/client`), to plain ES modules in examples/spa/js and
//      examples/spa/js/client, which the page loads as they are.
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
const presetApp = join(root, 'examples', 'codegen-preset')
const sources = join(presetApp, 'src')
const generatedDir = join(sources, 'gql')
const compiledDir = join(spa, 'js')
/** The browser client's package name, as the SPA imports it, and where its compiled modules go. */
const CLIENT_PACKAGE = 'cognito-graphql-auth/client'
const clientDir = join(root, 'src', 'client')
const compiledClientDir = join(compiledDir, 'client')
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
  const appSources = filesUnder(sources).filter((file) => file.endsWith('.ts') && !file.startsWith(generatedDir + '/'))
  const presetConfig: ClientPresetConfig = {
    fragmentMasking: false,
    skipIndexFile: true,
    // Each document of the app becomes its hash alone (`__meta__.hash`), its text goes to the
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
    documents: addTypenameSelectionDocumentTransform.transform({ documents: documentsOf(appSources) } as Parameters<typeof addTypenameSelectionDocumentTransform.transform>[0]) as DocumentFile[],
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
  // The browser client's documents after the app's: one manifest for every client of the server.
  const clientDocuments = Object.fromEntries(clientOperations(schemaAst).map(({ hash, document }) => [hash, document]))
  return { files, manifest: JSON.stringify({ ...JSON.parse(manifest), ...clientDocuments }, null, 2) + '\n' }
}

/** The TypeScript program of the project `dir` (its tsconfig.json), the generated files taken from `overlay`. */
function program (dir: string, overlay: Map<string, string>, extra: ts.CompilerOptions = {}): ts.Program {
  const configFile = join(dir, 'tsconfig.json')
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile)
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'))
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir, extra, configFile)
  const host = ts.createCompilerHost(parsed.options)
  const { readFile, fileExists, directoryExists } = host
  host.readFile = (file) => overlay.get(resolve(file)) ?? readFile.call(host, file)
  host.fileExists = (file) => overlay.has(resolve(file)) || fileExists.call(host, file)
  host.directoryExists = (dir) => [...overlay.keys()].some((file) => file.startsWith(resolve(dir) + '/')) || (directoryExists?.call(host, dir) ?? true)
  const ours = [...overlay.keys()].filter((file) => file.startsWith(dir + '/'))
  const rootNames = [...new Set([...parsed.fileNames.map((file) => resolve(file)), ...ours])]
  return ts.createProgram({ rootNames, options: parsed.options, host })
}

/** Fails with every diagnostic, formatted, when there is one. */
function check (what: string, problems: readonly ts.Diagnostic[]): void {
  if (problems.length === 0) return
  const formatHost = { getCanonicalFileName: (file: string) => file, getCurrentDirectory: () => root, getNewLine: () => '\n' }
  const formatted = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext(problems, formatHost) : ts.formatDiagnostics(problems, formatHost)
  throw new Error(`${what} does not compile:\n${formatted}`)
}

/**
 * examples/spa/src and the browser client it imports, compiled by the SPA's tsconfig (its rootDir
 * is the repository, its `paths` name the client's sources): the SPA's modules into js/, the
 * client's into js/client/, its package name rewritten to their relative path. Fails on any type
 * error; the app of step 1 is type-checked with its generated files from `overlay`.
 */
function compile (overlay: Map<string, string>): Map<string, string> {
  const app = program(presetApp, overlay, { noEmit: true })
  check('examples/codegen-preset', ts.getPreEmitDiagnostics(app))

  const spaProgram = program(spa, new Map())
  const emitted = join(compiledDir, 'examples', 'spa', 'src')
  const compiled = new Map<string, string>()
  const { diagnostics } = spaProgram.emit(undefined, (file, text) => {
    const fromClient = resolve(file).startsWith(join(compiledDir, 'src', 'client') + '/')
    const target = fromClient
      ? join(compiledClientDir, relative(join(compiledDir, 'src', 'client'), file))
      : join(compiledDir, relative(emitted, file))
    const source = relative(root, fromClient ? join(clientDir, relative(compiledClientDir, target)) : join(spa, 'src', relative(compiledDir, target))).replace(/\.js$/, '.ts')
    const clientPath = relative(dirname(target), join(compiledClientDir, 'index.js'))
    const body = text.replace(/^\/\* eslint-disable \*\/\n/, '')
      .replaceAll(`'${CLIENT_PACKAGE}'`, `'${clientPath.startsWith('.') ? clientPath : './' + clientPath}'`)
    compiled.set(target, `// Compiled from ${source} by \`npm run codegen:spa\`: edit that file, not this one.\n/* eslint-disable */\n${body}`)
  })
  check('the SPA', [...ts.getPreEmitDiagnostics(spaProgram), ...diagnostics])
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

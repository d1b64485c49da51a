import type { CodegenConfig } from '@graphql-codegen/cli'
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset'

const config: CodegenConfig = {
  // The server's contract, copied from its repository (or its package).
  schema: 'schema.graphql',
  documents: ['src/**/*.ts'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      // `__typename` in every selection: normalising caches (Apollo Client, Graphcache) need it.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        // Each document gets its hash (`sha256:<hex>`) in `__meta__.hash`, and
        // persisted-documents.json is the manifest to give the server (PERSISTED_OPERATIONS_MANIFEST).
        persistedDocuments: true
      }
    }
  }
}
export default config

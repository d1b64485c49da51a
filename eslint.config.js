import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', '.cognito-local/**', '.tap/**', 'bench/.tmp/**', 'src/graphql/generated.ts', 'src/client/generated.ts', 'examples/spa/js/**', 'examples/codegen-preset/src/gql/**'] }),
  {
    // A file a reader holds in mind: one job, a size that shows it.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 350 }],
      'max-lines-per-function': ['error', { max: 120 }]
    }
  }
]

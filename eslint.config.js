import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', '.cognito-local/**', '.tap/**', 'bench/.tmp/**', 'src/graphql/generated.ts', 'examples/spa/js/**', 'examples/spa/src/gql/**'] })
]

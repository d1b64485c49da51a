import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', '.cognito-local/**', '.tap/**', 'src/graphql/generated.ts'] })
]

// An app's own GraphQL documents, as graphql-codegen's client preset takes them (the recipe of
// docs/clients.md): `npm run codegen:spa` types them into src/gql/ and registers them in the
// server's manifest, schema/persisted-operations.json, beside the browser client's. Apollo Client
// and urql run them by hash in test/clients/ (PERSISTED_OPERATIONS=only). The example SPA itself
// writes no GraphQL: it uses the browser client, cognito-graphql-auth/client.
import { graphql } from './gql/gql.ts'

// What a sign-in answers, a Session or the next Challenge: a fragment on the union, which a
// normalising cache matches only with `possibleTypes` (docs/clients/apollo.md).
graphql(`
  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }
`)
graphql(`
  fragment SignInStep on SignInResult {
    __typename
    ... on Session { expiresAt user { ...UserFields } }
    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }
  }
`)

export const Me = graphql(`
  query Me { me { ...UserFields } }
`)

export const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { userConfirmed codeDelivery { destination } }
  }
`)

export const ConfirmSignUp = graphql(`
  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }
`)

export const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }
`)

export const SignOut = graphql(`
  mutation SignOut($input: SignOutInput) { signOut(input: $input) }
`)

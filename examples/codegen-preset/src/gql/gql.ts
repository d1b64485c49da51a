/* eslint-disable */
import * as types from './graphql.ts';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment SignInStep on SignInResult {\n    __typename\n    ... on Session { expiresAt user { ...UserFields } }\n    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }\n  }\n": typeof types.SignInStepFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": typeof types.MeDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { userConfirmed codeDelivery { destination } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\n": typeof types.ConfirmSignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n": typeof types.SignInDocument,
    "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n": typeof types.SignOutDocument,
};
const documents: Documents = {
    "\n  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }\n": types.UserFieldsFragmentDoc,
    "\n  fragment SignInStep on SignInResult {\n    __typename\n    ... on Session { expiresAt user { ...UserFields } }\n    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }\n  }\n": types.SignInStepFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": types.MeDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { userConfirmed codeDelivery { destination } }\n  }\n": types.SignUpDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\n": types.ConfirmSignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n": types.SignInDocument,
    "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n": types.SignOutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }\n"): typeof import('./graphql.ts').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignInStep on SignInResult {\n    __typename\n    ... on Session { expiresAt user { ...UserFields } }\n    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }\n  }\n"): typeof import('./graphql.ts').SignInStepFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { ...UserFields } }\n"): typeof import('./graphql.ts').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { userConfirmed codeDelivery { destination } }\n  }\n"): typeof import('./graphql.ts').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\n"): typeof import('./graphql.ts').ConfirmSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n"): typeof import('./graphql.ts').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n"): typeof import('./graphql.ts').SignOutDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

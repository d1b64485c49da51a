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
    "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n": typeof types.SignOutDocument,
    "\n  mutation DeleteAccount($input: ReauthInput!) { deleteAccount(input: $input) }\n": typeof types.DeleteAccountDocument,
    "\n  mutation EnableEmailMfa($input: ReauthInput!) { enableEmailMfa(input: $input) { ...UserFields } }\n": typeof types.EnableEmailMfaDocument,
    "\n  mutation DisableEmailMfa($input: ReauthInput!) { disableEmailMfa(input: $input) { ...UserFields } }\n": typeof types.DisableEmailMfaDocument,
    "\n  query Passkeys { me { passkeys { id name createdAt } } }\n": typeof types.PasskeysDocument,
    "\n  mutation StartPasskeyRegistration($input: StartPasskeyRegistrationInput) { startPasskeyRegistration(input: $input) { publicKeyOptions } }\n": typeof types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id name createdAt } }\n": typeof types.FinishPasskeyRegistrationDocument,
    "\n  mutation DeletePasskey($input: DeletePasskeyInput!) { deletePasskey(input: $input) }\n": typeof types.DeletePasskeyDocument,
    "\n  mutation ForgotPassword($input: ForgotPasswordInput!) { forgotPassword(input: $input) { destination } }\n": typeof types.ForgotPasswordDocument,
    "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) { confirmForgotPassword(input: $input) }\n": typeof types.ConfirmForgotPasswordDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ...SignInStep } }\n": typeof types.ChangePasswordDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...UserFields } }\n": typeof types.UpdateProfileDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { ...UserFields } }\n": typeof types.VerifyEmailDocument,
    "\n  mutation ResendEmailVerificationCode { resendEmailVerificationCode { destination } }\n": typeof types.ResendEmailVerificationCodeDocument,
    "\n  query SignInProviders { signInProviders }\n": typeof types.SignInProvidersDocument,
    "\n  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment SignInStep on SignInResult {\n    __typename\n    ... on Session { expiresAt user { ...UserFields } }\n    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }\n  }\n": typeof types.SignInStepFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": typeof types.MeDocument,
    "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n": typeof types.SignInDocument,
    "\n  mutation RespondToChallenge($input: RespondToChallengeInput!) {\n    respondToChallenge(input: $input) { ...SignInStep }\n  }\n": typeof types.RespondToChallengeDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { userConfirmed codeDelivery { destination } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\n": typeof types.ConfirmSignUpDocument,
    "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) { destination }\n  }\n": typeof types.ResendConfirmationCodeDocument,
    "\n  mutation SetupTotp($input: ReauthInput!) { setupTotp(input: $input) { secret otpauthUri } }\n": typeof types.SetupTotpDocument,
    "\n  mutation VerifyTotp($input: VerifyTotpInput!) { verifyTotp(input: $input) { ...UserFields } }\n": typeof types.VerifyTotpDocument,
    "\n  mutation DisableTotp($input: ReauthInput!) { disableTotp(input: $input) { ...UserFields } }\n": typeof types.DisableTotpDocument,
};
const documents: Documents = {
    "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n": types.SignOutDocument,
    "\n  mutation DeleteAccount($input: ReauthInput!) { deleteAccount(input: $input) }\n": types.DeleteAccountDocument,
    "\n  mutation EnableEmailMfa($input: ReauthInput!) { enableEmailMfa(input: $input) { ...UserFields } }\n": types.EnableEmailMfaDocument,
    "\n  mutation DisableEmailMfa($input: ReauthInput!) { disableEmailMfa(input: $input) { ...UserFields } }\n": types.DisableEmailMfaDocument,
    "\n  query Passkeys { me { passkeys { id name createdAt } } }\n": types.PasskeysDocument,
    "\n  mutation StartPasskeyRegistration($input: StartPasskeyRegistrationInput) { startPasskeyRegistration(input: $input) { publicKeyOptions } }\n": types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id name createdAt } }\n": types.FinishPasskeyRegistrationDocument,
    "\n  mutation DeletePasskey($input: DeletePasskeyInput!) { deletePasskey(input: $input) }\n": types.DeletePasskeyDocument,
    "\n  mutation ForgotPassword($input: ForgotPasswordInput!) { forgotPassword(input: $input) { destination } }\n": types.ForgotPasswordDocument,
    "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) { confirmForgotPassword(input: $input) }\n": types.ConfirmForgotPasswordDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ...SignInStep } }\n": types.ChangePasswordDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...UserFields } }\n": types.UpdateProfileDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { ...UserFields } }\n": types.VerifyEmailDocument,
    "\n  mutation ResendEmailVerificationCode { resendEmailVerificationCode { destination } }\n": types.ResendEmailVerificationCodeDocument,
    "\n  query SignInProviders { signInProviders }\n": types.SignInProvidersDocument,
    "\n  fragment UserFields on User { id email emailVerified name groups mfa preferredMfa }\n": types.UserFieldsFragmentDoc,
    "\n  fragment SignInStep on SignInResult {\n    __typename\n    ... on Session { expiresAt user { ...UserFields } }\n    ... on Challenge { name codeDelivery { destination } mfaOptions totpSetup { secret otpauthUri } availableMethods publicKeyOptions }\n  }\n": types.SignInStepFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": types.MeDocument,
    "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n": types.SignInDocument,
    "\n  mutation RespondToChallenge($input: RespondToChallengeInput!) {\n    respondToChallenge(input: $input) { ...SignInStep }\n  }\n": types.RespondToChallengeDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { userConfirmed codeDelivery { destination } }\n  }\n": types.SignUpDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\n": types.ConfirmSignUpDocument,
    "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) { destination }\n  }\n": types.ResendConfirmationCodeDocument,
    "\n  mutation SetupTotp($input: ReauthInput!) { setupTotp(input: $input) { secret otpauthUri } }\n": types.SetupTotpDocument,
    "\n  mutation VerifyTotp($input: VerifyTotpInput!) { verifyTotp(input: $input) { ...UserFields } }\n": types.VerifyTotpDocument,
    "\n  mutation DisableTotp($input: ReauthInput!) { disableTotp(input: $input) { ...UserFields } }\n": types.DisableTotpDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut($input: SignOutInput) { signOut(input: $input) }\n"): typeof import('./graphql.ts').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($input: ReauthInput!) { deleteAccount(input: $input) }\n"): typeof import('./graphql.ts').DeleteAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableEmailMfa($input: ReauthInput!) { enableEmailMfa(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').EnableEmailMfaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableEmailMfa($input: ReauthInput!) { disableEmailMfa(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').DisableEmailMfaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Passkeys { me { passkeys { id name createdAt } } }\n"): typeof import('./graphql.ts').PasskeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeyRegistration($input: StartPasskeyRegistrationInput) { startPasskeyRegistration(input: $input) { publicKeyOptions } }\n"): typeof import('./graphql.ts').StartPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id name createdAt } }\n"): typeof import('./graphql.ts').FinishPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePasskey($input: DeletePasskeyInput!) { deletePasskey(input: $input) }\n"): typeof import('./graphql.ts').DeletePasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ForgotPassword($input: ForgotPasswordInput!) { forgotPassword(input: $input) { destination } }\n"): typeof import('./graphql.ts').ForgotPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) { confirmForgotPassword(input: $input) }\n"): typeof import('./graphql.ts').ConfirmForgotPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ...SignInStep } }\n"): typeof import('./graphql.ts').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').UpdateProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').VerifyEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendEmailVerificationCode { resendEmailVerificationCode { destination } }\n"): typeof import('./graphql.ts').ResendEmailVerificationCodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInProviders { signInProviders }\n"): typeof import('./graphql.ts').SignInProvidersDocument;
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
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }\n"): typeof import('./graphql.ts').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondToChallenge($input: RespondToChallengeInput!) {\n    respondToChallenge(input: $input) { ...SignInStep }\n  }\n"): typeof import('./graphql.ts').RespondToChallengeDocument;
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
export function graphql(source: "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) { destination }\n  }\n"): typeof import('./graphql.ts').ResendConfirmationCodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetupTotp($input: ReauthInput!) { setupTotp(input: $input) { secret otpauthUri } }\n"): typeof import('./graphql.ts').SetupTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyTotp($input: VerifyTotpInput!) { verifyTotp(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').VerifyTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp($input: ReauthInput!) { disableTotp(input: $input) { ...UserFields } }\n"): typeof import('./graphql.ts').DisableTotpDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

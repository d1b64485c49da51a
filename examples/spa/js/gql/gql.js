// Compiled from src/gql/gql.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import * as types from "./graphql.js";
const documents = {
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
export function graphql(source) {
    return documents[source] ?? {};
}

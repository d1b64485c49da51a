/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What a new account needs. */
export type SignUpInput = {
  /** The email address, which becomes the sign-in name. */
  email: string;
  /** The password; it must meet the pool's password policy. */
  password: string;
  /** An optional display name. */
  name?: string | null | undefined;
};

/** A confirmation code for a sign-up. */
export type ConfirmSignUpInput = {
  /** The email the account was registered with. */
  email: string;
  /** The code from the email. */
  code: string;
};

/** Which sign-up needs a new code. */
export type ResendConfirmationCodeInput = {
  /** The email the account was registered with. */
  email: string;
};

/** Which account forgot its password. */
export type ForgotPasswordInput = {
  /** The email of the account. */
  email: string;
};

/** A password reset. */
export type ConfirmForgotPasswordInput = {
  /** The email of the account. */
  email: string;
  /** The code from the email sent by `forgotPassword`. */
  code: string;
  /** The new password; it must meet the pool's password policy. */
  newPassword: string;
};

/** The current password, asked again before a dangerous change. */
export type ReauthInput = {
  /** The password in use now. */
  currentPassword: string;
};

/** The first code of a new authenticator. */
export type VerifyTotpInput = {
  /** The six digits the authenticator app shows; each code is accepted once. */
  code: string;
};

/** The step-up of a passkey registration. */
export type StartPasskeyRegistrationInput = {
  /** The password in use now; needed unless the session's sign-in was recent and made with the password or a passkey. */
  currentPassword?: string | null | undefined;
};

/** The browser's answer to `startPasskeyRegistration`. */
export type FinishPasskeyRegistrationInput = {
  /** The `RegistrationResponseJSON` of `navigator.credentials.create`, as a JSON string. */
  credential: string;
  /** A name to tell the passkey apart by (e.g. 'Work laptop'), up to 256 characters. */
  name?: string | null | undefined;
  /** The password in use now; needed unless the session's sign-in was recent and made with the password or a passkey. */
  currentPassword?: string | null | undefined;
};

/** One passkey of the signed-in user. */
export type DeletePasskeyInput = {
  /** The passkey's id, as `User.passkeys` gives it. */
  id: string | number;
  /** The password in use now; needed unless the session's sign-in was recent and made with the password or a passkey. */
  currentPassword?: string | null | undefined;
};

/** A profile change; give at least one of `name` and `email`. */
export type UpdateProfileInput = {
  /** The new display name. */
  name?: string | null | undefined;
  /** The new email address; it takes effect once verified with `verifyEmail`. */
  email?: string | null | undefined;
  /** The current password; required with `email`. */
  currentPassword?: string | null | undefined;
};

/** A code that verifies an email address. */
export type VerifyEmailInput = {
  /** The code from the email. */
  code: string;
};

/** Who signs in, and how. */
export type SignInInput = {
  /** The email of the account. */
  email: string;
  /** The account's password (method `PASSWORD`, which it implies when no method is given). */
  password?: string | null | undefined;
  /**
   * How to sign in: `PASSWORD` (with `password`), `EMAIL_CODE`, `SMS_CODE` or `PASSKEY`. Without a
   * method and without a password the answer is a `SELECT_CHALLENGE` listing the methods to choose from.
   */
  method?: SignInMethod | null | undefined;
};

/** A way to sign in: a first factor the user pool allows. */
export type SignInMethod =
  /** The account's password. */
  | 'PASSWORD'
  /** A one-time code sent to the account's email address. */
  | 'EMAIL_CODE'
  /** A one-time code sent by text message to the account's phone number. */
  | 'SMS_CODE'
  /** A passkey (WebAuthn) registered with `startPasskeyRegistration`. */
  | 'PASSKEY';

/** The steps of a sign-in: after the password, or instead of it. */
export type ChallengeName =
  /** An administrator created the user with a temporary password: choose a new one. */
  | 'NEW_PASSWORD_REQUIRED'
  /** Give the code from the authenticator app. */
  | 'SOFTWARE_TOKEN_MFA'
  /** Give the code sent by text message. */
  | 'SMS_MFA'
  /** Choose which second factor to use. */
  | 'SELECT_MFA_TYPE'
  /** The pool requires MFA and the user has none: set up an authenticator and give its first code. */
  | 'MFA_SETUP'
  /** Give the code sent by email (a sign-in with `EMAIL_CODE`, or email as the second factor after the password). */
  | 'EMAIL_OTP'
  /** Give the code sent by text message (a sign-in with `SMS_CODE`). */
  | 'SMS_OTP'
  /** Sign the `publicKeyOptions` with a passkey and send the `credential`. */
  | 'WEB_AUTHN'
  /** Choose how to sign in, one of the challenge's `availableMethods` (`PASSWORD` needs the `password` too). */
  | 'SELECT_CHALLENGE';

/** The answer to a `Challenge`: its name, and what that challenge asks for. */
export type RespondToChallengeInput = {
  /** The name of the challenge being answered (as the `Challenge` gave it). */
  name: ChallengeName;
  /** The code: from the authenticator app (SOFTWARE_TOKEN_MFA, and its first code for MFA_SETUP), the text message (SMS_MFA, SMS_OTP) or the email (EMAIL_OTP). */
  code?: string | null | undefined;
  /** The password to choose (NEW_PASSWORD_REQUIRED); it must meet the pool's password policy. */
  newPassword?: string | null | undefined;
  /** The second factor to use (SELECT_MFA_TYPE), one of the challenge's `mfaOptions`. */
  mfaMethod?: MfaMethod | null | undefined;
  /** The way to sign in (SELECT_CHALLENGE), one of the challenge's `availableMethods`. */
  method?: SignInMethod | null | undefined;
  /** The account's password (SELECT_CHALLENGE with method `PASSWORD`). */
  password?: string | null | undefined;
  /** The passkey's answer (WEB_AUTHN): the `AuthenticationResponseJSON` of `navigator.credentials.get`, as a JSON string. */
  credential?: string | null | undefined;
};

/** How far a sign-out reaches. */
export type SignOutInput = {
  /** End every session of the user on every device, not only this one. */
  everywhere?: boolean | null | undefined;
};

/** A password change. */
export type ChangePasswordInput = {
  /** The password in use now. */
  currentPassword: string;
  /** The new password; it must meet the pool's password policy. */
  newPassword: string;
};

/** A second factor for sign-in. */
export type MfaMethod =
  /** A time-based one-time password from an authenticator app. */
  | 'TOTP'
  /** A code sent by text message. */
  | 'SMS'
  /** A code sent by email. */
  | 'EMAIL';

export type SignOutMutationVariables = Exact<{
  input?: SignOutInput | null | undefined;
}>;


export type SignOutMutation = { signOut: boolean | null };

export type DeleteAccountMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DeleteAccountMutation = { deleteAccount: boolean | null };

export type EnableEmailMfaMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type EnableEmailMfaMutation = { enableEmailMfa: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type DisableEmailMfaMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DisableEmailMfaMutation = { disableEmailMfa: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type PasskeysQueryVariables = Exact<{ [key: string]: never; }>;


export type PasskeysQuery = { me: { passkeys: Array<{ id: string, name: string | null, createdAt: string }> } | null };

export type StartPasskeyRegistrationMutationVariables = Exact<{
  input?: StartPasskeyRegistrationInput | null | undefined;
}>;


export type StartPasskeyRegistrationMutation = { startPasskeyRegistration: { publicKeyOptions: string } | null };

export type FinishPasskeyRegistrationMutationVariables = Exact<{
  input: FinishPasskeyRegistrationInput;
}>;


export type FinishPasskeyRegistrationMutation = { finishPasskeyRegistration: { id: string, name: string | null, createdAt: string } | null };

export type DeletePasskeyMutationVariables = Exact<{
  input: DeletePasskeyInput;
}>;


export type DeletePasskeyMutation = { deletePasskey: boolean | null };

export type ForgotPasswordMutationVariables = Exact<{
  input: ForgotPasswordInput;
}>;


export type ForgotPasswordMutation = { forgotPassword: { destination: string } | null };

export type ConfirmForgotPasswordMutationVariables = Exact<{
  input: ConfirmForgotPasswordInput;
}>;


export type ConfirmForgotPasswordMutation = { confirmForgotPassword: boolean | null };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword:
    | { __typename: 'Session', expiresAt: string, user: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { destination: string } | null, totpSetup: { secret: string, otpauthUri: string } | null }
   | null };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { updateProfile: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type VerifyEmailMutationVariables = Exact<{
  input: VerifyEmailInput;
}>;


export type VerifyEmailMutation = { verifyEmail: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type ResendEmailVerificationCodeMutationVariables = Exact<{ [key: string]: never; }>;


export type ResendEmailVerificationCodeMutation = { resendEmailVerificationCode: { destination: string } | null };

export type SignInProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInProvidersQuery = { signInProviders: Array<string> };

export type UserFieldsFragment = { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null };

type SignInStep_Session_Fragment = { __typename: 'Session', expiresAt: string, user: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } };

type SignInStep_Challenge_Fragment = { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { destination: string } | null, totpSetup: { secret: string, otpauthUri: string } | null };

export type SignInStepFragment =
  | SignInStep_Session_Fragment
  | SignInStep_Challenge_Fragment
;

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn:
    | { __typename: 'Session', expiresAt: string, user: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { destination: string } | null, totpSetup: { secret: string, otpauthUri: string } | null }
   | null };

export type RespondToChallengeMutationVariables = Exact<{
  input: RespondToChallengeInput;
}>;


export type RespondToChallengeMutation = { respondToChallenge:
    | { __typename: 'Session', expiresAt: string, user: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { destination: string } | null, totpSetup: { secret: string, otpauthUri: string } | null }
   | null };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { userConfirmed: boolean, codeDelivery: { destination: string } | null } | null };

export type ConfirmSignUpMutationVariables = Exact<{
  input: ConfirmSignUpInput;
}>;


export type ConfirmSignUpMutation = { confirmSignUp: boolean | null };

export type ResendConfirmationCodeMutationVariables = Exact<{
  input: ResendConfirmationCodeInput;
}>;


export type ResendConfirmationCodeMutation = { resendConfirmationCode: { destination: string } | null };

export type SetupTotpMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type SetupTotpMutation = { setupTotp: { secret: string, otpauthUri: string } | null };

export type VerifyTotpMutationVariables = Exact<{
  input: VerifyTotpInput;
}>;


export type VerifyTotpMutation = { verifyTotp: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type DisableTotpMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DisableTotpMutation = { disableTotp: { id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  emailVerified
  name
  groups
  mfa
  preferredMfa
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const SignInStepFragmentDoc = new TypedDocumentString(`
    fragment SignInStep on SignInResult {
  __typename
  ... on Session {
    expiresAt
    user {
      ...UserFields
    }
  }
  ... on Challenge {
    name
    codeDelivery {
      destination
    }
    mfaOptions
    totpSetup {
      secret
      otpauthUri
    }
    availableMethods
    publicKeyOptions
  }
}
    fragment UserFields on User {
  id
  email
  emailVerified
  name
  groups
  mfa
  preferredMfa
}`, {"fragmentName":"SignInStep"}) as unknown as TypedDocumentString<SignInStepFragment, unknown>;
export const SignOutDocument = {"__meta__":{"hash":"3ab27e83bf01e1eed9ab81a0d592694142fcea5dbf203a535f55d65d9e6ae05b"}} as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const DeleteAccountDocument = {"__meta__":{"hash":"9307da2ddcb78727a8db232e7e822ce7a98b62434d20210631293d246bb306ba"}} as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const EnableEmailMfaDocument = {"__meta__":{"hash":"3264a7f92407e8d92f5523d877f9793b8f9cf567359318d9b4eae95cbb2883df"}} as unknown as TypedDocumentString<EnableEmailMfaMutation, EnableEmailMfaMutationVariables>;
export const DisableEmailMfaDocument = {"__meta__":{"hash":"6d736d8e48002553ac129cb9f6a250eea8fddb3d7fc23e0d2a0c3c29d9230121"}} as unknown as TypedDocumentString<DisableEmailMfaMutation, DisableEmailMfaMutationVariables>;
export const PasskeysDocument = {"__meta__":{"hash":"50db03a25132b39018ba1e4af471f97a65dcedc356bd8eb4a62d2d93c756474e"}} as unknown as TypedDocumentString<PasskeysQuery, PasskeysQueryVariables>;
export const StartPasskeyRegistrationDocument = {"__meta__":{"hash":"fa4b9ee8ba71f2649721d70857ccc3c735048643502017735f9791c4c081f817"}} as unknown as TypedDocumentString<StartPasskeyRegistrationMutation, StartPasskeyRegistrationMutationVariables>;
export const FinishPasskeyRegistrationDocument = {"__meta__":{"hash":"b6ccb5fba40ec140e169dc84c91180a11d66321c643d6aea8f5a3bcf7f8c584a"}} as unknown as TypedDocumentString<FinishPasskeyRegistrationMutation, FinishPasskeyRegistrationMutationVariables>;
export const DeletePasskeyDocument = {"__meta__":{"hash":"9efb2a43195798f52e0ae804e632fc0b78fe625f9b4d85d8b49876288d28e85f"}} as unknown as TypedDocumentString<DeletePasskeyMutation, DeletePasskeyMutationVariables>;
export const ForgotPasswordDocument = {"__meta__":{"hash":"f29bf26648e09fa4ce3bb9c239c1ed271666207d558603865bb9316b3246051f"}} as unknown as TypedDocumentString<ForgotPasswordMutation, ForgotPasswordMutationVariables>;
export const ConfirmForgotPasswordDocument = {"__meta__":{"hash":"c175a83205493752e7dbae72bd8c3f2d7b823523ccba8a5d3ad015a288945a63"}} as unknown as TypedDocumentString<ConfirmForgotPasswordMutation, ConfirmForgotPasswordMutationVariables>;
export const ChangePasswordDocument = {"__meta__":{"hash":"0ebe713bc5d048bbfa274270927504f3a43f2be780a0bb034f10daa482be57de"}} as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const UpdateProfileDocument = {"__meta__":{"hash":"1b957425b80cc8db74c82c9b358ed50edbbe0e6b6fc59d5b477098f6eb0ce6be"}} as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
export const VerifyEmailDocument = {"__meta__":{"hash":"0408f40a807ca381d96e4f6a7fb41406d84e93300f1f44a383c1765c02a11b2e"}} as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ResendEmailVerificationCodeDocument = {"__meta__":{"hash":"1c3904d1a473a6844161b4250cd0ee72d115b7dd944e431c8433d431930ed9e0"}} as unknown as TypedDocumentString<ResendEmailVerificationCodeMutation, ResendEmailVerificationCodeMutationVariables>;
export const SignInProvidersDocument = {"__meta__":{"hash":"c5e509704c2f38c8997f7316a2a2e1262cddc8d28f2696d24c537f79fb74475e"}} as unknown as TypedDocumentString<SignInProvidersQuery, SignInProvidersQueryVariables>;
export const MeDocument = {"__meta__":{"hash":"648f4fd7286d4623876e507c04f15de361455437ab091a6fde9c80ee7133f39e"}} as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignInDocument = {"__meta__":{"hash":"b59650e50698ee99942bee34f5f4893403bfdf6a127c40e91062073133b3cf76"}} as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const RespondToChallengeDocument = {"__meta__":{"hash":"d537981fe07b6c07c7ec717f745205a81686b69b32ad0134f99f6e8d17a67fff"}} as unknown as TypedDocumentString<RespondToChallengeMutation, RespondToChallengeMutationVariables>;
export const SignUpDocument = {"__meta__":{"hash":"8962b86edb6f587ce8a413c3a23ea51e1d7e00c9963ba9b5a4e2dd5f286f84f4"}} as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const ConfirmSignUpDocument = {"__meta__":{"hash":"2cdf9ae6041d3d76ab1cf0748229ffa99b87e7ff968b2ab7e422cf8bd6d5bc5a"}} as unknown as TypedDocumentString<ConfirmSignUpMutation, ConfirmSignUpMutationVariables>;
export const ResendConfirmationCodeDocument = {"__meta__":{"hash":"f8a0fd5408d0650c692d5a3ad7b3c2c9de92339cf83e1b31f29b465c73fc88bd"}} as unknown as TypedDocumentString<ResendConfirmationCodeMutation, ResendConfirmationCodeMutationVariables>;
export const SetupTotpDocument = {"__meta__":{"hash":"740f20578d51363acb2bffac8c325536c60725809569f6408c6ff96e4b7f625b"}} as unknown as TypedDocumentString<SetupTotpMutation, SetupTotpMutationVariables>;
export const VerifyTotpDocument = {"__meta__":{"hash":"72a5819658ff3bb17a6cf30ed723ff2cd99bcfae559ece0f89b9645aeda388e2"}} as unknown as TypedDocumentString<VerifyTotpMutation, VerifyTotpMutationVariables>;
export const DisableTotpDocument = {"__meta__":{"hash":"fdc819e0fa145346a4ebac29459b1a940f4de87ce8b179f35f3ffb7b1962f17c"}} as unknown as TypedDocumentString<DisableTotpMutation, DisableTotpMutationVariables>;

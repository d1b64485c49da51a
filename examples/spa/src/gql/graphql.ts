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
  /**
   * "Remember this browser", with the answer that ends the sign-in (a second factor's): in a pool
   * that remembers devices only when the user asks, its next password sign-in skips the second factor.
   */
  rememberDevice?: boolean | null | undefined;
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


export type SignOutMutation = { __typename: 'Mutation', signOut: boolean | null };

export type DeleteAccountMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DeleteAccountMutation = { __typename: 'Mutation', deleteAccount: boolean | null };

export type EnableEmailMfaMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type EnableEmailMfaMutation = { __typename: 'Mutation', enableEmailMfa: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type DisableEmailMfaMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DisableEmailMfaMutation = { __typename: 'Mutation', disableEmailMfa: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type PasskeysQueryVariables = Exact<{ [key: string]: never; }>;


export type PasskeysQuery = { __typename: 'Query', me: { __typename: 'User', passkeys: Array<{ __typename: 'Passkey', id: string, name: string | null, createdAt: string }> } | null };

export type StartPasskeyRegistrationMutationVariables = Exact<{
  input?: StartPasskeyRegistrationInput | null | undefined;
}>;


export type StartPasskeyRegistrationMutation = { __typename: 'Mutation', startPasskeyRegistration: { __typename: 'PasskeyRegistration', publicKeyOptions: string } | null };

export type FinishPasskeyRegistrationMutationVariables = Exact<{
  input: FinishPasskeyRegistrationInput;
}>;


export type FinishPasskeyRegistrationMutation = { __typename: 'Mutation', finishPasskeyRegistration: { __typename: 'Passkey', id: string, name: string | null, createdAt: string } | null };

export type DeletePasskeyMutationVariables = Exact<{
  input: DeletePasskeyInput;
}>;


export type DeletePasskeyMutation = { __typename: 'Mutation', deletePasskey: boolean | null };

export type ForgotPasswordMutationVariables = Exact<{
  input: ForgotPasswordInput;
}>;


export type ForgotPasswordMutation = { __typename: 'Mutation', forgotPassword: { __typename: 'CodeDelivery', destination: string } | null };

export type ConfirmForgotPasswordMutationVariables = Exact<{
  input: ConfirmForgotPasswordInput;
}>;


export type ConfirmForgotPasswordMutation = { __typename: 'Mutation', confirmForgotPassword: boolean | null };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { __typename: 'Mutation', changePassword:
    | { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null }
   | null };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { __typename: 'Mutation', updateProfile: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type VerifyEmailMutationVariables = Exact<{
  input: VerifyEmailInput;
}>;


export type VerifyEmailMutation = { __typename: 'Mutation', verifyEmail: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type ResendEmailVerificationCodeMutationVariables = Exact<{ [key: string]: never; }>;


export type ResendEmailVerificationCodeMutation = { __typename: 'Mutation', resendEmailVerificationCode: { __typename: 'CodeDelivery', destination: string } | null };

export type SignInProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInProvidersQuery = { __typename: 'Query', signInProviders: Array<string> };

export type UserFieldsFragment = { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null };

type SignInStep_Session_Fragment = { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } };

type SignInStep_Challenge_Fragment = { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null };

export type SignInStepFragment =
  | SignInStep_Session_Fragment
  | SignInStep_Challenge_Fragment
;

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename: 'Query', me: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { __typename: 'Mutation', signIn:
    | { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null }
   | null };

export type RespondToChallengeMutationVariables = Exact<{
  input: RespondToChallengeInput;
}>;


export type RespondToChallengeMutation = { __typename: 'Mutation', respondToChallenge:
    | { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null }
   | null };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { __typename: 'Mutation', signUp: { __typename: 'SignUpPayload', userConfirmed: boolean, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null } | null };

export type ConfirmSignUpMutationVariables = Exact<{
  input: ConfirmSignUpInput;
}>;


export type ConfirmSignUpMutation = { __typename: 'Mutation', confirmSignUp: boolean | null };

export type ResendConfirmationCodeMutationVariables = Exact<{
  input: ResendConfirmationCodeInput;
}>;


export type ResendConfirmationCodeMutation = { __typename: 'Mutation', resendConfirmationCode: { __typename: 'CodeDelivery', destination: string } | null };

export type SetupTotpMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type SetupTotpMutation = { __typename: 'Mutation', setupTotp: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null };

export type VerifyTotpMutationVariables = Exact<{
  input: VerifyTotpInput;
}>;


export type VerifyTotpMutation = { __typename: 'Mutation', verifyTotp: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type DisableTotpMutationVariables = Exact<{
  input: ReauthInput;
}>;


export type DisableTotpMutation = { __typename: 'Mutation', disableTotp: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

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
  __typename
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
    __typename
    expiresAt
    user {
      __typename
      ...UserFields
    }
  }
  ... on Challenge {
    __typename
    name
    codeDelivery {
      __typename
      destination
    }
    mfaOptions
    totpSetup {
      __typename
      secret
      otpauthUri
    }
    availableMethods
    publicKeyOptions
  }
}
    fragment UserFields on User {
  __typename
  id
  email
  emailVerified
  name
  groups
  mfa
  preferredMfa
}`, {"fragmentName":"SignInStep"}) as unknown as TypedDocumentString<SignInStepFragment, unknown>;
export const SignOutDocument = {"__meta__":{"hash":"f93e1442200ad764f9308669eaa0ff701ab08f370e29a27932f995e316c750a4"}} as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const DeleteAccountDocument = {"__meta__":{"hash":"8de73227f129dd43ded3da11b52c2506a1b69edc55c35d084c96db38732d71b1"}} as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const EnableEmailMfaDocument = {"__meta__":{"hash":"f12ffd891fd51251cda70e4f0836d556a491b7f9ec09cb99c92b058498439db6"}} as unknown as TypedDocumentString<EnableEmailMfaMutation, EnableEmailMfaMutationVariables>;
export const DisableEmailMfaDocument = {"__meta__":{"hash":"adcfc8a2c827ef626e2b0e81e00d04b20b210d01748607ea8474177e7dc1676b"}} as unknown as TypedDocumentString<DisableEmailMfaMutation, DisableEmailMfaMutationVariables>;
export const PasskeysDocument = {"__meta__":{"hash":"af2baea9ace1655d329f4061a6f39aa047a88e8339399839d66594930c7f076f"}} as unknown as TypedDocumentString<PasskeysQuery, PasskeysQueryVariables>;
export const StartPasskeyRegistrationDocument = {"__meta__":{"hash":"e829b353d6014f451c45dda15957f0fdf8e105bce037dfb18c69ef06b8ce3b83"}} as unknown as TypedDocumentString<StartPasskeyRegistrationMutation, StartPasskeyRegistrationMutationVariables>;
export const FinishPasskeyRegistrationDocument = {"__meta__":{"hash":"ee054010c61d79f8cb464f184642da43bd8dabd4c680d6f4295b39b10df76bd7"}} as unknown as TypedDocumentString<FinishPasskeyRegistrationMutation, FinishPasskeyRegistrationMutationVariables>;
export const DeletePasskeyDocument = {"__meta__":{"hash":"0bcb53738c7e8c93327000586579b593358efd706157f19db0582faa3fce6142"}} as unknown as TypedDocumentString<DeletePasskeyMutation, DeletePasskeyMutationVariables>;
export const ForgotPasswordDocument = {"__meta__":{"hash":"f91e11bd3c9c89fcd8ca0be482017d1df18fb49da9d0ec4f513db7375a654cb1"}} as unknown as TypedDocumentString<ForgotPasswordMutation, ForgotPasswordMutationVariables>;
export const ConfirmForgotPasswordDocument = {"__meta__":{"hash":"b3ede42d4e0b55fc5cad000a7b38f85314a514f89d55729c09fa934e4f0be7f6"}} as unknown as TypedDocumentString<ConfirmForgotPasswordMutation, ConfirmForgotPasswordMutationVariables>;
export const ChangePasswordDocument = {"__meta__":{"hash":"39785787d196cd69c26f1d32976cc8f3c497496c1a36ac4bad435704d2905805"}} as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const UpdateProfileDocument = {"__meta__":{"hash":"01f2c72dc0fcc2817714fabb794f7c9d8530830f7a321e9520863098fd202bed"}} as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
export const VerifyEmailDocument = {"__meta__":{"hash":"0170b965e15fe197540800354cdb17162241ca84f29c6063ef078bfd68adce84"}} as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ResendEmailVerificationCodeDocument = {"__meta__":{"hash":"73a4703b5ad63321bbb496d5335e151c01651ae255e7331b49014b661ed7276a"}} as unknown as TypedDocumentString<ResendEmailVerificationCodeMutation, ResendEmailVerificationCodeMutationVariables>;
export const SignInProvidersDocument = {"__meta__":{"hash":"34ab6e114afae935b72ea1a37b04117a89643d5ad34c7394f817ee9f59dda7fe"}} as unknown as TypedDocumentString<SignInProvidersQuery, SignInProvidersQueryVariables>;
export const MeDocument = {"__meta__":{"hash":"2aa01b2010422d975376aec788141e5b24ec4c93bfb3d9058afe3e9c23807b86"}} as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignInDocument = {"__meta__":{"hash":"dab68e520fc03fd1cd351d387c16f8168002c32706218e35ac82211dd6749e86"}} as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const RespondToChallengeDocument = {"__meta__":{"hash":"790aec07feaea5314f95fdbbe5a2a26980c6e3691758ffd58e78f913f523cb04"}} as unknown as TypedDocumentString<RespondToChallengeMutation, RespondToChallengeMutationVariables>;
export const SignUpDocument = {"__meta__":{"hash":"0c1a75ebd18b4265fbcd90693d6fedfd4ac92ce0a439b13210cd81bfd169d3be"}} as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const ConfirmSignUpDocument = {"__meta__":{"hash":"fcefbf5460d8cd05712017d77c0899542f9e4dbd471428b79729b8095c4e1361"}} as unknown as TypedDocumentString<ConfirmSignUpMutation, ConfirmSignUpMutationVariables>;
export const ResendConfirmationCodeDocument = {"__meta__":{"hash":"ea52193b8f34c3dbb1b1b5fef9a035291669b88b5cbb1ddc826bdd4f9a99f5cb"}} as unknown as TypedDocumentString<ResendConfirmationCodeMutation, ResendConfirmationCodeMutationVariables>;
export const SetupTotpDocument = {"__meta__":{"hash":"ca38ca342f6874867b25c07f0ff4574207f116fb7c76976572491fee3f601654"}} as unknown as TypedDocumentString<SetupTotpMutation, SetupTotpMutationVariables>;
export const VerifyTotpDocument = {"__meta__":{"hash":"29aeedff8197626e21cbfef1117630a5df23d82eea7916c720c0295cab14313a"}} as unknown as TypedDocumentString<VerifyTotpMutation, VerifyTotpMutationVariables>;
export const DisableTotpDocument = {"__meta__":{"hash":"726270e50bb65ba432113f94f28a1a46bdd5ff04831deb7559047efc032a1aaf"}} as unknown as TypedDocumentString<DisableTotpMutation, DisableTotpMutationVariables>;

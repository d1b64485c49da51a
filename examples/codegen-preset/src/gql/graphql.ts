/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What a new account needs. */
export type SignUpInput = {
  /**
   * The email address, which becomes the sign-in name. Exactly one of `email` and `phone`, as the
   * pool signs in (else BAD_USER_INPUT).
   */
  email?: string | null | undefined;
  /** The phone number (E.164, `+4915112345678`), which becomes the sign-in name, in a pool that signs in by phone number; the code goes by SMS. */
  phone?: string | null | undefined;
  /** The password; it must meet the pool's password policy. */
  password: string;
  /** An optional display name. */
  name?: string | null | undefined;
  /** A CAPTCHA token from the widget `Query.captcha` describes: needed whenever a CAPTCHA provider is configured (else `CAPTCHA_REQUIRED`). */
  captchaToken?: string | null | undefined;
};

/** A confirmation code for a sign-up. */
export type ConfirmSignUpInput = {
  /** The email the account was registered with (or give `phone`). */
  email?: string | null | undefined;
  /** The phone number the account was registered with (E.164, `+4915112345678`), in a pool that signs in by phone number; give it instead of `email`. */
  phone?: string | null | undefined;
  /** The code from the email or text message. */
  code: string;
};

/** Who signs in, and how. */
export type SignInInput = {
  /** The email of the account. Exactly one of `email` and `phone`, as the pool signs in (else BAD_USER_INPUT). */
  email?: string | null | undefined;
  /** The phone number of the account (E.164, `+4915112345678`), in a pool that signs in by phone number. */
  phone?: string | null | undefined;
  /** The account's password (method `PASSWORD`, which it implies when no method is given). */
  password?: string | null | undefined;
  /**
   * How to sign in: `PASSWORD` (with `password`), `EMAIL_CODE`, `SMS_CODE` or `PASSKEY`. Without a
   * method and without a password the answer is a `SELECT_CHALLENGE` listing the methods to choose from.
   */
  method?: SignInMethod | null | undefined;
  /** A CAPTCHA token from the widget `Query.captcha` describes: needed once the address or the account has failed to sign in too often (else `CAPTCHA_REQUIRED`). */
  captchaToken?: string | null | undefined;
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
  | 'PASSKEY'
  /** The pool's custom challenges (its define, create and verify auth challenge triggers): each `CUSTOM_CHALLENGE` is answered with `answer`. */
  | 'CUSTOM';

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
  | 'SELECT_CHALLENGE'
  /** Answer the pool's custom challenge (a sign-in with `CUSTOM`) with `answer`; its `parameters` say what it asks. */
  | 'CUSTOM_CHALLENGE';

/** How far a sign-out reaches. */
export type SignOutInput = {
  /** End every session of the user on every device, not only this one. */
  everywhere?: boolean | null | undefined;
};

/** A second factor for sign-in. */
export type MfaMethod =
  /** A time-based one-time password from an authenticator app. */
  | 'TOTP'
  /** A code sent by text message. */
  | 'SMS'
  /** A code sent by email. */
  | 'EMAIL';

export type UserFieldsFragment = { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null };

type SignInStep_Session_Fragment = { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } };

type SignInStep_Challenge_Fragment = { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null };

export type SignInStepFragment =
  | SignInStep_Session_Fragment
  | SignInStep_Challenge_Fragment
;

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename: 'Query', me: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } | null };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { __typename: 'Mutation', signUp: { __typename: 'SignUpPayload', userConfirmed: boolean, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null } | null };

export type ConfirmSignUpMutationVariables = Exact<{
  input: ConfirmSignUpInput;
}>;


export type ConfirmSignUpMutation = { __typename: 'Mutation', confirmSignUp: boolean | null };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { __typename: 'Mutation', signIn:
    | { __typename: 'Session', expiresAt: string, user: { __typename: 'User', id: string, email: string, emailVerified: boolean, name: string | null, groups: Array<string>, mfa: Array<MfaMethod>, preferredMfa: MfaMethod | null } }
    | { __typename: 'Challenge', name: ChallengeName, mfaOptions: Array<MfaMethod> | null, availableMethods: Array<SignInMethod> | null, publicKeyOptions: string | null, codeDelivery: { __typename: 'CodeDelivery', destination: string } | null, totpSetup: { __typename: 'TotpSetup', secret: string, otpauthUri: string } | null }
   | null };

export type SignOutMutationVariables = Exact<{
  input?: SignOutInput | null | undefined;
}>;


export type SignOutMutation = { __typename: 'Mutation', signOut: boolean | null };

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
export const MeDocument = {"__meta__":{"hash":"2aa01b2010422d975376aec788141e5b24ec4c93bfb3d9058afe3e9c23807b86"}} as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignUpDocument = {"__meta__":{"hash":"0c1a75ebd18b4265fbcd90693d6fedfd4ac92ce0a439b13210cd81bfd169d3be"}} as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const ConfirmSignUpDocument = {"__meta__":{"hash":"fcefbf5460d8cd05712017d77c0899542f9e4dbd471428b79729b8095c4e1361"}} as unknown as TypedDocumentString<ConfirmSignUpMutation, ConfirmSignUpMutationVariables>;
export const SignInDocument = {"__meta__":{"hash":"dab68e520fc03fd1cd351d387c16f8168002c32706218e35ac82211dd6749e86"}} as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = {"__meta__":{"hash":"f93e1442200ad764f9308669eaa0ff701ab08f370e29a27932f995e316c750a4"}} as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;

// Compiled from src/gql/graphql.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
export class TypedDocumentString extends String {
    __apiType;
    value;
    __meta__;
    constructor(value, __meta__) {
        super(value);
        this.value = value;
        this.__meta__ = __meta__;
    }
    toString() {
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
    `, { "fragmentName": "UserFields" });
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
}`, { "fragmentName": "SignInStep" });
export const SignOutDocument = { "__meta__": { "hash": "3ab27e83bf01e1eed9ab81a0d592694142fcea5dbf203a535f55d65d9e6ae05b" } };
export const DeleteAccountDocument = { "__meta__": { "hash": "9307da2ddcb78727a8db232e7e822ce7a98b62434d20210631293d246bb306ba" } };
export const ForgotPasswordDocument = { "__meta__": { "hash": "f29bf26648e09fa4ce3bb9c239c1ed271666207d558603865bb9316b3246051f" } };
export const ConfirmForgotPasswordDocument = { "__meta__": { "hash": "c175a83205493752e7dbae72bd8c3f2d7b823523ccba8a5d3ad015a288945a63" } };
export const ChangePasswordDocument = { "__meta__": { "hash": "f9364a76ac2d56cbb57e0f382d20ea28f6e5f60d8a23d815633b4dfa1e1a9fe9" } };
export const UpdateProfileDocument = { "__meta__": { "hash": "1b957425b80cc8db74c82c9b358ed50edbbe0e6b6fc59d5b477098f6eb0ce6be" } };
export const VerifyEmailDocument = { "__meta__": { "hash": "0408f40a807ca381d96e4f6a7fb41406d84e93300f1f44a383c1765c02a11b2e" } };
export const ResendEmailVerificationCodeDocument = { "__meta__": { "hash": "1c3904d1a473a6844161b4250cd0ee72d115b7dd944e431c8433d431930ed9e0" } };
export const SignInProvidersDocument = { "__meta__": { "hash": "c5e509704c2f38c8997f7316a2a2e1262cddc8d28f2696d24c537f79fb74475e" } };
export const MeDocument = { "__meta__": { "hash": "648f4fd7286d4623876e507c04f15de361455437ab091a6fde9c80ee7133f39e" } };
export const SignInDocument = { "__meta__": { "hash": "5ead780cd1531f601d83b317b077250d720156545f05c22226155b60c05537ea" } };
export const RespondToChallengeDocument = { "__meta__": { "hash": "a5b983cad20a2437fc3393a238999e176d3d9dbeb5467c4370654d74f68ab2f3" } };
export const SignUpDocument = { "__meta__": { "hash": "8962b86edb6f587ce8a413c3a23ea51e1d7e00c9963ba9b5a4e2dd5f286f84f4" } };
export const ConfirmSignUpDocument = { "__meta__": { "hash": "2cdf9ae6041d3d76ab1cf0748229ffa99b87e7ff968b2ab7e422cf8bd6d5bc5a" } };
export const ResendConfirmationCodeDocument = { "__meta__": { "hash": "f8a0fd5408d0650c692d5a3ad7b3c2c9de92339cf83e1b31f29b465c73fc88bd" } };
export const SetupTotpDocument = { "__meta__": { "hash": "740f20578d51363acb2bffac8c325536c60725809569f6408c6ff96e4b7f625b" } };
export const VerifyTotpDocument = { "__meta__": { "hash": "72a5819658ff3bb17a6cf30ed723ff2cd99bcfae559ece0f89b9645aeda388e2" } };
export const DisableTotpDocument = { "__meta__": { "hash": "fdc819e0fa145346a4ebac29459b1a940f4de87ce8b179f35f3ffb7b1962f17c" } };

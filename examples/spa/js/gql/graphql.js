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
}`, { "fragmentName": "SignInStep" });
export const SignOutDocument = { "__meta__": { "hash": "3ab27e83bf01e1eed9ab81a0d592694142fcea5dbf203a535f55d65d9e6ae05b" } };
export const DeleteAccountDocument = { "__meta__": { "hash": "9307da2ddcb78727a8db232e7e822ce7a98b62434d20210631293d246bb306ba" } };
export const EnableEmailMfaDocument = { "__meta__": { "hash": "3264a7f92407e8d92f5523d877f9793b8f9cf567359318d9b4eae95cbb2883df" } };
export const DisableEmailMfaDocument = { "__meta__": { "hash": "6d736d8e48002553ac129cb9f6a250eea8fddb3d7fc23e0d2a0c3c29d9230121" } };
export const PasskeysDocument = { "__meta__": { "hash": "50db03a25132b39018ba1e4af471f97a65dcedc356bd8eb4a62d2d93c756474e" } };
export const StartPasskeyRegistrationDocument = { "__meta__": { "hash": "fa4b9ee8ba71f2649721d70857ccc3c735048643502017735f9791c4c081f817" } };
export const FinishPasskeyRegistrationDocument = { "__meta__": { "hash": "b6ccb5fba40ec140e169dc84c91180a11d66321c643d6aea8f5a3bcf7f8c584a" } };
export const DeletePasskeyDocument = { "__meta__": { "hash": "9efb2a43195798f52e0ae804e632fc0b78fe625f9b4d85d8b49876288d28e85f" } };
export const ForgotPasswordDocument = { "__meta__": { "hash": "f29bf26648e09fa4ce3bb9c239c1ed271666207d558603865bb9316b3246051f" } };
export const ConfirmForgotPasswordDocument = { "__meta__": { "hash": "c175a83205493752e7dbae72bd8c3f2d7b823523ccba8a5d3ad015a288945a63" } };
export const ChangePasswordDocument = { "__meta__": { "hash": "0ebe713bc5d048bbfa274270927504f3a43f2be780a0bb034f10daa482be57de" } };
export const UpdateProfileDocument = { "__meta__": { "hash": "1b957425b80cc8db74c82c9b358ed50edbbe0e6b6fc59d5b477098f6eb0ce6be" } };
export const VerifyEmailDocument = { "__meta__": { "hash": "0408f40a807ca381d96e4f6a7fb41406d84e93300f1f44a383c1765c02a11b2e" } };
export const ResendEmailVerificationCodeDocument = { "__meta__": { "hash": "1c3904d1a473a6844161b4250cd0ee72d115b7dd944e431c8433d431930ed9e0" } };
export const SignInProvidersDocument = { "__meta__": { "hash": "c5e509704c2f38c8997f7316a2a2e1262cddc8d28f2696d24c537f79fb74475e" } };
export const MeDocument = { "__meta__": { "hash": "648f4fd7286d4623876e507c04f15de361455437ab091a6fde9c80ee7133f39e" } };
export const SignInDocument = { "__meta__": { "hash": "b59650e50698ee99942bee34f5f4893403bfdf6a127c40e91062073133b3cf76" } };
export const RespondToChallengeDocument = { "__meta__": { "hash": "d537981fe07b6c07c7ec717f745205a81686b69b32ad0134f99f6e8d17a67fff" } };
export const SignUpDocument = { "__meta__": { "hash": "8962b86edb6f587ce8a413c3a23ea51e1d7e00c9963ba9b5a4e2dd5f286f84f4" } };
export const ConfirmSignUpDocument = { "__meta__": { "hash": "2cdf9ae6041d3d76ab1cf0748229ffa99b87e7ff968b2ab7e422cf8bd6d5bc5a" } };
export const ResendConfirmationCodeDocument = { "__meta__": { "hash": "f8a0fd5408d0650c692d5a3ad7b3c2c9de92339cf83e1b31f29b465c73fc88bd" } };
export const SetupTotpDocument = { "__meta__": { "hash": "740f20578d51363acb2bffac8c325536c60725809569f6408c6ff96e4b7f625b" } };
export const VerifyTotpDocument = { "__meta__": { "hash": "72a5819658ff3bb17a6cf30ed723ff2cd99bcfae559ece0f89b9645aeda388e2" } };
export const DisableTotpDocument = { "__meta__": { "hash": "fdc819e0fa145346a4ebac29459b1a940f4de87ce8b179f35f3ffb7b1962f17c" } };

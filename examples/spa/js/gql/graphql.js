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
  __typename
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
}`, { "fragmentName": "SignInStep" });
export const SignOutDocument = { "__meta__": { "hash": "f93e1442200ad764f9308669eaa0ff701ab08f370e29a27932f995e316c750a4" } };
export const DeleteAccountDocument = { "__meta__": { "hash": "8de73227f129dd43ded3da11b52c2506a1b69edc55c35d084c96db38732d71b1" } };
export const EnableEmailMfaDocument = { "__meta__": { "hash": "f12ffd891fd51251cda70e4f0836d556a491b7f9ec09cb99c92b058498439db6" } };
export const DisableEmailMfaDocument = { "__meta__": { "hash": "adcfc8a2c827ef626e2b0e81e00d04b20b210d01748607ea8474177e7dc1676b" } };
export const PasskeysDocument = { "__meta__": { "hash": "af2baea9ace1655d329f4061a6f39aa047a88e8339399839d66594930c7f076f" } };
export const StartPasskeyRegistrationDocument = { "__meta__": { "hash": "e829b353d6014f451c45dda15957f0fdf8e105bce037dfb18c69ef06b8ce3b83" } };
export const FinishPasskeyRegistrationDocument = { "__meta__": { "hash": "ee054010c61d79f8cb464f184642da43bd8dabd4c680d6f4295b39b10df76bd7" } };
export const DeletePasskeyDocument = { "__meta__": { "hash": "0bcb53738c7e8c93327000586579b593358efd706157f19db0582faa3fce6142" } };
export const ForgotPasswordDocument = { "__meta__": { "hash": "f91e11bd3c9c89fcd8ca0be482017d1df18fb49da9d0ec4f513db7375a654cb1" } };
export const ConfirmForgotPasswordDocument = { "__meta__": { "hash": "b3ede42d4e0b55fc5cad000a7b38f85314a514f89d55729c09fa934e4f0be7f6" } };
export const ChangePasswordDocument = { "__meta__": { "hash": "39785787d196cd69c26f1d32976cc8f3c497496c1a36ac4bad435704d2905805" } };
export const UpdateProfileDocument = { "__meta__": { "hash": "01f2c72dc0fcc2817714fabb794f7c9d8530830f7a321e9520863098fd202bed" } };
export const VerifyEmailDocument = { "__meta__": { "hash": "0170b965e15fe197540800354cdb17162241ca84f29c6063ef078bfd68adce84" } };
export const ResendEmailVerificationCodeDocument = { "__meta__": { "hash": "73a4703b5ad63321bbb496d5335e151c01651ae255e7331b49014b661ed7276a" } };
export const SignInProvidersDocument = { "__meta__": { "hash": "34ab6e114afae935b72ea1a37b04117a89643d5ad34c7394f817ee9f59dda7fe" } };
export const MeDocument = { "__meta__": { "hash": "2aa01b2010422d975376aec788141e5b24ec4c93bfb3d9058afe3e9c23807b86" } };
export const SignInDocument = { "__meta__": { "hash": "dab68e520fc03fd1cd351d387c16f8168002c32706218e35ac82211dd6749e86" } };
export const RespondToChallengeDocument = { "__meta__": { "hash": "790aec07feaea5314f95fdbbe5a2a26980c6e3691758ffd58e78f913f523cb04" } };
export const SignUpDocument = { "__meta__": { "hash": "0c1a75ebd18b4265fbcd90693d6fedfd4ac92ce0a439b13210cd81bfd169d3be" } };
export const ConfirmSignUpDocument = { "__meta__": { "hash": "fcefbf5460d8cd05712017d77c0899542f9e4dbd471428b79729b8095c4e1361" } };
export const ResendConfirmationCodeDocument = { "__meta__": { "hash": "ea52193b8f34c3dbb1b1b5fef9a035291669b88b5cbb1ddc826bdd4f9a99f5cb" } };
export const SetupTotpDocument = { "__meta__": { "hash": "ca38ca342f6874867b25c07f0ff4574207f116fb7c76976572491fee3f601654" } };
export const VerifyTotpDocument = { "__meta__": { "hash": "29aeedff8197626e21cbfef1117630a5df23d82eea7916c720c0295cab14313a" } };
export const DisableTotpDocument = { "__meta__": { "hash": "726270e50bb65ba432113f94f28a1a46bdd5ff04831deb7559047efc032a1aaf" } };

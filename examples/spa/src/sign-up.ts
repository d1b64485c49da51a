// Signing up: the account, the code emailed to confirm it, a new code when that one is lost.
import { request } from './api.ts'
import { graphql } from './gql/gql.ts'
import { field, mailboxButton, notify, onClick, onSubmit } from './ui.ts'

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { userConfirmed codeDelivery { destination } }
  }
`)

const ConfirmSignUp = graphql(`
  mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }
`)

const ResendConfirmationCode = graphql(`
  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {
    resendConfirmationCode(input: $input) { destination }
  }
`)

onSubmit('sign-up', async ({ email, password, name }) => {
  const { signUp } = await request(SignUp, { input: { email, password, name: name || null } })
  field('confirm', 'email').value = email
  field('sign-in', 'email').value = email
  notify(signUp?.userConfirmed === true ? 'Signed up: sign in.' : `Signed up: a code was sent to ${signUp?.codeDelivery?.destination}.`)
})

onSubmit('confirm', async ({ email, code }) => {
  await request(ConfirmSignUp, { input: { email, code } })
  field('sign-in', 'email').value = email
  notify('Email confirmed: sign in.')
})

onClick('#resend-code', async () => {
  const { resendConfirmationCode } = await request(ResendConfirmationCode, { input: { email: field('confirm', 'email').value } })
  notify(`A new code was sent to ${resendConfirmationCode?.destination}.`)
})

mailboxButton('confirm', () => field('confirm', 'email').value)

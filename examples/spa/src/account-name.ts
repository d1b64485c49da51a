// What a user types to name their account, as the server's inputs take it: a phone number (it
// starts with a plus: `+4915112345678`) or an email. The server says which its pool signs in with.
export function named (value: string): { email: string } | { phone: string } {
  const trimmed = value.trim()
  return trimmed.startsWith('+') ? { phone: trimmed } : { email: trimmed }
}

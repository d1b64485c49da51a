// The errors that end a start with their message alone, one line, no stack: bad configuration, an
// emulator data directory another process holds, a port that is taken. Anything else is a crash.

/** A start that cannot go on; the message says what is wrong and what to do. */
export class StartRefused extends Error {
  override name = 'StartRefused'
}

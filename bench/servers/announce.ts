// What every server does once it listens: print where (its URL) on stdout, the line the parent
// waits for, answer its commands (./commands.ts), and stop when the parent closes our stdin,
// which also happens when the parent dies.
import { answerCommands, type Commands } from './commands.ts'

/** Prints `where` and arranges to close and exit when the parent lets go of stdin. */
export function announce (where: string, close: () => Promise<unknown>, commands: Commands = {}): void {
  process.stdout.write(`${where}\n`)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(0), 3000).unref()
    close().then(() => process.exit(0), () => process.exit(1))
  }
  process.stdin.once('end', stop).once('close', stop)
  answerCommands(commands)
}

// Preloaded (`node --import …/memory-probe.js`) into a server the bench did not write, the
// development server (src/server.ts), so that it too answers the bench's commands on stdin
// (./commands.ts): its memory by kind, and after a full GC.
import { answerCommands } from './commands.ts'

answerCommands()

// The embedded Cognito emulator (src/dev/emulator.ts) in a process of its own, so that a call
// to it leaves the caller's process whether it comes from the bench directly or through our
// server. Prints one JSON line when ready: { endpoint, region, userPoolId, clientId, credentials }
// (the admin credentials of its data directory, for the admin calls).
import { pino } from 'pino'
import { startEmulator } from '../../src/dev/emulator.ts'
import { announce } from './announce.ts'

const emulator = await startEmulator({ dataDir: process.env.EMULATOR_DATA_DIR ?? '', logger: pino({ level: 'silent' }) })
const { endpoint, region, userPoolId, clientId, credentials } = emulator
announce(JSON.stringify({ endpoint, region, userPoolId, clientId, credentials }), () => emulator.close())

// A child process for the ordering tests: `node flip.mjs <file|redis> <dir|url> <suite> <rounds>`.
// Another shard: waits for a line on stdin (so both start together), hammers forget()/set() through the built library
// and prints the user ids its subscriber was given, with the ids its store answered with or announced.
import { createTelemetry, fileStore, redisStore } from '../../../dist/esm/src/index.js';
import { hammer, recordingStore } from './flip-hammer.mjs';

const [kind, location, suite, rounds] = process.argv.slice(2);
const { store, history } = recordingStore(
  kind === 'file' ? fileStore({ dir: location, pollIntervalMs: 5 }) : redisStore({ url: location }),
);
await new Promise((resolve) => process.stdin.once('data', resolve));
const telemetry = createTelemetry({ suite, store, env: {}, strict: true });
const delivered = await hammer(telemetry.consent, Number(rounds));
await telemetry.shutdown();
process.stdout.write(`${JSON.stringify({ delivered, history: [...history] })}\n`);

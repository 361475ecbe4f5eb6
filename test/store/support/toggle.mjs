// A child process for the cross-process tests: `node toggle.mjs <file|redis> <dir|url> <suite> <level>`.
// Another shard of the bot: it sets the owner's choice through its own telemetry and exits.
import { createTelemetry, fileStore, redisStore } from '../../../dist/esm/src/index.js';

const [kind, location, suite, level] = process.argv.slice(2);
const store = kind === 'file' ? fileStore({ dir: location }) : redisStore({ url: location });
const telemetry = createTelemetry({ suite, store, env: {}, strict: true });
const status = await telemetry.consent.set(level, { by: `shard:${process.pid}` });
await telemetry.shutdown();
process.stdout.write(`${JSON.stringify(status)}\n`);

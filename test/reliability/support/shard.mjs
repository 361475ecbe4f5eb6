// One shard of a sharded bot, for the cross-process tests: `node shard.mjs <redisUrl> <dsn> <suite> <shard>`.
// Reads commands on stdin (one per line) and answers with one JSON line each on stdout:
//   set <level> · status · capture <message> · list · send <code> · quit
// It also prints {"event":"level",…} whenever the effective level changes, with the time it noticed.
import { createInterface } from 'node:readline';
import { createTelemetry, redisStore } from '../../../dist/esm/src/index.js';

const [url, dsn, suite, shard] = process.argv.slice(2);
const print = (line) => process.stdout.write(`${JSON.stringify({ shard: Number(shard), ...line })}\n`);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const telemetry = createTelemetry({ suite, dsn, store: redisStore({ url }), env: {}, logger: quiet, strict: true });
const mod = telemetry.module({ name: 'status', version: '1.0.0' });
telemetry.consent.subscribe((status) => print({ event: 'level', level: status.level, at: Date.now() }));
const first = await telemetry.consent.status();
print({ event: 'ready', level: first.level });

for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...rest] = line.split(' ');
  const argument = rest.join(' ');
  try {
    if (command === 'set') {
      const at = Date.now();
      await telemetry.consent.set(argument, { by: `shard:${shard}` });
      print({ event: 'set', level: argument, at });
    } else if (command === 'capture') {
      print({ event: 'captured', outcome: mod.captureError(new Error(argument)) });
    } else if (command === 'status') {
      const { level, source } = await telemetry.consent.status();
      print({ event: 'status', level, source });
    } else if (command === 'list') {
      print({ event: 'list', codes: telemetry.reports.list().map((report) => report.code) });
    } else if (command === 'send') {
      print({ event: 'sent', eventId: await telemetry.reports.send(argument) });
    } else if (command === 'quit') {
      await telemetry.shutdown();
      print({ event: 'bye' });
      process.exit(0);
    }
  } catch (error) {
    print({ event: 'error', command, message: String(error?.message ?? error) });
  }
}

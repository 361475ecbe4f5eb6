// A bot process using consentry, beside the `consentry` command: it prints each consent change as a JSON line and
// takes commands on stdin (error MESSAGE | task NAME | flush | stop), answering each with a JSON line.
import { createInterface } from 'node:readline';
import { createTelemetry, fileStore, redisStore } from '../../../dist/esm/src/index.js';

const [kind, location, suite, dsn] = process.argv.slice(2);
const store = kind === 'redis' ? redisStore({ url: location }) : fileStore({ dir: location });
const telemetry = createTelemetry({
  suite,
  dsn,
  policyVersion: 1,
  store,
  env: {},
  logger: { warn() {}, info() {}, error: (m) => console.error(m), debug() {} },
});
const mod = telemetry.module({ name: 'status', version: '1.0.0' });
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

telemetry.consent.subscribe((status) => say({ level: status.level, userId: status.userId, at: Date.now() }));
const first = await telemetry.consent.status();
say({ ready: true, level: first.level, userId: first.userId });

for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...rest] = line.split(' ');
  const arg = rest.join(' ');
  if (command === 'error') {
    const outcome = mod.captureError(new Error(arg));
    say({ captured: outcome });
  } else if (command === 'task') {
    await mod.task(arg, async () => {});
    say({ task: arg });
  } else if (command === 'flush') {
    say({ flushed: await telemetry.flush() });
  } else if (command === 'stop') {
    break;
  }
}
await telemetry.shutdown();
say({ stopped: true });

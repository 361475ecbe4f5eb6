// A child process for the concurrency tests: `node hammer.mjs <file|redis> <dir|url> <suite> <count> <lanes> <id>`.
// Waits for a line on stdin (so all processes start together), then runs <count> updates and claims in <lanes>
// concurrent lanes, and prints the claims it won as JSON. Uses the built library, as a bot would.
import { fileStore, redisStore } from '../../../dist/esm/src/index.js';

const [kind, location, suite, countText, lanesText, id] = process.argv.slice(2);
const count = Number(countText);
const lanes = Number(lanesText);
const store =
  kind === 'file'
    ? fileStore({ dir: location, lockTimeoutMs: 120_000 })
    : redisStore({ url: location, commandTimeoutMs: 30_000 });
const mine = `worker${id}`;

await new Promise((resolve) => process.stdin.once('data', resolve));

const wins = [];
let next = 0;
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (next < count) {
      const i = next++;
      await store.update(suite, (current) => ({
        ...current,
        counter: (current?.counter ?? 0) + 1,
        [mine]: (current?.[mine] ?? 0) + 1,
      }));
      if (await store.claim(suite, `notice-${i}`)) wins.push(i);
    }
  }),
);
await store.close();
process.stdout.write(`${JSON.stringify({ id, wins })}\n`);

// bench/scrub: scrubbing a heavy Sentry-shaped error event, against structuredClone (the floor: any safe scrubber
// copies) and against a port of the seed's algorithm. Run: npm run bench:scrub
import { createScrubber } from '../dist/esm/src/scrub/index.js';
import { measure, printTable } from './lib/measure.mjs';
import { createSeedScrubber } from './lib/seed-scrub.mjs';
import { BENCH_ENV, BENCH_TOKEN, describeEvent, makeEvent } from './lib/sentry-event.mjs';

// Distinct events, so that caches in the scrubber see new frames and breadcrumbs on every call, as in production
// where each error differs. A second set of cases scrubs one event over and over (a recurring error).
const DISTINCT = 512;
const events = Array.from({ length: DISTINCT }, (_, i) => makeEvent(i + 1));
const { strings, bytes } = describeEvent(events[0]);

const scrubber = createScrubber({ botToken: BENCH_TOKEN, env: BENCH_ENV });
const seed = createSeedScrubber(BENCH_TOKEN, BENCH_ENV);

// Sanity: both scrubbers really scrub this event.
const sample = JSON.stringify(scrubber.value(events[0]));
for (const secret of ['/home/alice', '203.0.113.', 'discord.gg/']) {
  if (sample.includes(secret)) throw new Error(`consentry left ${secret} in the benchmark event`);
}

let i = 0;
const next = () => events[i++ % DISTINCT];
const same = events[0];
const results = measure({
  clone: () => structuredClone(next()),
  consentry: () => scrubber.value(next()),
  seed: () => seed(next()),
  cloneSame: () => structuredClone(same),
  consentrySame: () => scrubber.value(same),
});

console.log(
  `Event: ${strings} strings (keys and values), ${(bytes / 1024).toFixed(1)} KiB of JSON, 25 frames, 50 breadcrumbs.`,
);
console.log(`Node ${process.version}, ${DISTINCT} distinct events cycled.`);
printTable('Scrubbing one event (copy included)', results, [
  { name: 'clone', label: '`structuredClone` (floor)' },
  { name: 'consentry', label: 'consentry `scrubber.value()`', baseline: 'clone' },
  { name: 'seed', label: "seed's algorithm (5 regex passes per string)", baseline: 'consentry' },
]);
printTable('The same event again and again (a recurring error)', results, [
  { name: 'cloneSame', label: '`structuredClone` (floor)' },
  { name: 'consentrySame', label: 'consentry `scrubber.value()`', baseline: 'cloneSame' },
]);
console.log(`\nconsentry vs seed: ${(results.seed / results.consentry).toFixed(1)}× faster.`);
console.log(`consentry vs structuredClone: ${(results.consentry / results.clone).toFixed(2)}× (target ≤ 1.2×).`);

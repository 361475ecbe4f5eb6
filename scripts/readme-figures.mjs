// Figures in the README come from runs, not from memory. This script runs what produces them and rewrites the README
// between markers, with the date and the command:
//   node scripts/readme-figures.mjs            the demo's sample output (`npm start`, offline, no colors)
//   node scripts/readme-figures.mjs --shards   also the shard toggle figure (test/reliability/sharding.test.ts,
//                                               which needs redis-server)
//   node scripts/readme-figures.mjs --check    runs the demo and fails if the README's sample no longer has the
//                                               shape of the real output (numbers aside); used by the demo test
//   node scripts/readme-figures.mjs --scrub [--runs=N]
//                                               only the scrubbing benchmark's figures (bench/scrub.mjs, N runs in a
//                                               row, default 3; the tables of the median run, every run's ratios)
//   node scripts/readme-figures.mjs --event-loop
//                                               only the event-loop benchmark's figures (bench/event-loop.mjs)
// Benchmark figures say when they were measured and the machine's load average (other work on it moves them).
// Run `npm run build` first: the demo and the benchmarks run against dist/.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const readmePath = join(root, 'README.md');
const DEMO = { start: '<!-- demo-output:start -->', end: '<!-- demo-output:end -->' };
const SHARDS = { start: '<!-- shard-toggle:start -->', end: '<!-- shard-toggle:end -->' };
const SCRUB = { start: '<!-- scrub-bench:start -->', end: '<!-- scrub-bench:end -->' };
const EVENT_LOOP = { start: '<!-- event-loop-bench:start -->', end: '<!-- event-loop-bench:end -->' };

/** The environment of a fresh shell: none of the variables the demo reacts to, CI detection off, no colors. */
function cleanEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(DO_NOT_TRACK|CONSENTRY_|DISCORD_TOKEN|FORCE_COLOR|OTEL_|CI$)/.test(name)) env[name] = value;
  }
  return { ...env, CI: 'false', NO_COLOR: '1' };
}

function runDemo() {
  const result = spawnSync(process.execPath, [join(root, 'examples', 'demo.mjs')], {
    cwd: root,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`the demo failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const section = (report, heading) => {
  const start = report.indexOf(`━━ ${heading}`);
  const next = report.indexOf('━━ ', report.indexOf('\n', start));
  return report
    .slice(start, next < 0 ? undefined : next)
    .trimEnd()
    .split('\n');
};

/** The part of the demo's report the README shows: what Sentry received (shortened), what was dropped, the checks. */
export function excerpt(stdout) {
  const received = section(stdout, 'What Sentry received').filter((line) => !line.startsWith('  (scrubbed values'));
  const out = [received[0], received[1], ''];
  const events = received.indexOf('  events (3)');
  const sessions = received.findIndex((line) => line.startsWith('  sessions ('));
  const spans = received.findIndex((line) => line.startsWith('  spans ('));
  // The first event in full (its message), the others by their first line.
  out.push(received[events]);
  for (let i = events + 1; i < sessions; i++) {
    const line = received[i];
    if (
      /^ {3}\d+\. /.test(line) ||
      (i <= events + 3 && line.startsWith('      ') && !/^ {6}(at |tags |breadcrumb)/.test(line))
    ) {
      out.push(line);
    }
  }
  // The spans' header lines, then the first root span and its first child.
  const root = received.findIndex((line, i) => i > spans && line.startsWith('   · '));
  out.push(received[sessions], ...received.slice(spans, root + 1));
  if (received[root + 1]?.startsWith('       └')) out.push(received[root + 1]);
  out.push('');
  out.push(...section(stdout, 'What was dropped'), '');
  // The checks a newcomer looks for first: nothing secret left, the loop's figures, the one report sent by hand.
  const checks = section(stdout, 'Checks');
  const shown = ['no raw secret in the', 'figures add up', 'runs at level all were', 'at manual exactly one event'];
  out.push(checks[0], ...checks.filter((line) => shown.some((text) => line.includes(text))), '  …');
  out.push(stdout.split('\n').find((line) => /^The scenario (held|did not hold)/.test(line)));
  return out.join('\n');
}

/**
 * Numbers, ports, durations and ids vary from run to run, and so does which of "What was dropped"'s lines apply (e.g.
 * whether a loop run was still queued when the level went down); the rest of the shape may not.
 */
const mask = (text) =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('  · '))
    .join('\n')
    .replace(/\[SHORTENED-ID-\d{4}\]/g, '[SHORTENED-ID-N]')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\bruns? N\b|N runs?\b/g, 'N runs')
    .replace(/\bspans?\b/g, 'spans')
    .replace(/\b(request|envelope|batch)(e?s)?\b/g, '$1s')
    .replace(/\bchecks?\b/g, 'checks');

function between(text, markers) {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`README.md has no ${markers.start} … ${markers.end}`);
  return {
    before: text.slice(0, start + markers.start.length),
    inside: text.slice(start + markers.start.length, end),
    after: text.slice(end),
  };
}

const today = () => new Date().toISOString().slice(0, 10);

function demoBlock(stdout) {
  return [
    '',
    `Generated on ${today()} by \`node scripts/readme-figures.mjs\` (it runs \`node examples/demo.mjs\` offline, without`,
    'colors, and keeps the end of the report; ports, durations and the number of loop runs change from run to run):',
    '',
    '```text',
    excerpt(stdout),
    '```',
    '',
  ].join('\n');
}

function shardFigure() {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, 'run', 'test/reliability/sharding.test.ts'], {
    cwd: root,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  const match = /a toggle reached all (\d+) shards within (\d+) ms/.exec(`${result.stdout}${result.stderr}`);
  if (result.status !== 0 || !match) throw new Error(`the sharding test failed:\n${result.stdout}${result.stderr}`);
  return `within ${match[2]} ms on ${today()} (printed by the test, not asserted; \`node scripts/readme-figures.mjs --shards\` measures it again)`;
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
const now = () => `${new Date().toISOString().slice(0, 16).replace('T', ' at ')} UTC`;

function runBench(file) {
  const before = load();
  const result = spawnSync(process.execPath, [join(root, 'bench', file)], {
    cwd: root,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`bench/${file} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return { stdout: result.stdout, before, after: load() };
}

/** The Markdown table printed under `title`. */
function tableAfter(stdout, title) {
  const lines = stdout.split('\n');
  const from = lines.indexOf(title);
  if (from < 0) throw new Error(`the benchmark printed no "${title}"`);
  const rows = [];
  for (const line of lines.slice(from + 1)) {
    if (line.startsWith('|')) rows.push(line);
    else if (rows.length > 0) break;
  }
  return rows.join('\n');
}

function scrubBlock(runs) {
  const results = Array.from({ length: runs }, () => {
    const run = runBench('scrub.mjs');
    const clone = Number(/consentry vs structuredClone: ([\d.]+)×/.exec(run.stdout)?.[1]);
    const seed = Number(/consentry vs seed: ([\d.]+)× faster/.exec(run.stdout)?.[1]);
    if (!clone || !seed) throw new Error(`bench/scrub.mjs printed no ratios:\n${run.stdout}`);
    return { ...run, clone, seed };
  });
  const median = [...results].sort((a, b) => a.clone - b.clone)[Math.floor(runs / 2)];
  const node = /Node (v[\d.]+)/.exec(median.stdout)?.[1];
  const verdict = (value, target, below) => ((below ? value <= target : value >= target) ? 'met' : '**missed**');
  return [
    '',
    `Generated on ${now()} by \`node scripts/readme-figures.mjs --scrub\` (${runs} runs of \`node bench/scrub.mjs\` in a row`,
    `after \`npm run build\`; Node ${node}, 2 cores shared with other work). Every run, with the load average (1, 5 and`,
    '15 minutes) before it:',
    '',
    '| run | load average before | consentry ÷ `structuredClone` | seed ÷ consentry |',
    '| --- | --- | ---: | ---: |',
    ...results.map((r, i) => `| ${i + 1} | ${r.before} | ${r.clone.toFixed(2)}× | ${r.seed.toFixed(1)}× |`),
    '',
    `The run with the median ratio to \`structuredClone\` (run ${results.indexOf(median) + 1}):`,
    '',
    '**One event, copy included:**',
    '',
    tableAfter(median.stdout, 'Scrubbing one event (copy included)'),
    '',
    '**The same event again and again (a recurring error):**',
    '',
    tableAfter(median.stdout, 'The same event again and again (a recurring error)'),
    '',
    `Targets: ≤ 1.2× \`structuredClone\` (${verdict(median.clone, 1.2, true)} in the median run) and ≥ 10× faster than the seed's`,
    `algorithm (${verdict(median.seed, 10, false)} in the median run).`,
    '',
  ].join('\n');
}

function eventLoopBlock() {
  const run = runBench('event-loop.mjs');
  const node = /Node (v[\d.]+)/.exec(run.stdout)?.[1];
  const table = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .join('\n');
  const p99 = Number(/capturing the largest event[^|]*\| [\d.]+ ms \| ([\d.]+) ms/.exec(table)?.[1]);
  return [
    '',
    `Generated on ${now()} by \`node scripts/readme-figures.mjs --event-loop\` (it runs \`node bench/event-loop.mjs\` after`,
    `\`npm run build\`; Node ${node}, 2 cores shared with other work; load average ${run.before} before the run, ${run.after}`,
    'after it):',
    '',
    table,
    '',
    `Target: p99 under 5 ms while capturing (${p99 < 5 ? 'met' : '**missed**'} in this run).`,
    '',
  ].join('\n');
}

const args = process.argv.slice(2);
let readme = readFileSync(readmePath, 'utf8');
if (args.includes('--scrub') || args.includes('--event-loop')) {
  if (args.includes('--scrub')) {
    const runs = Number(/^--runs=(\d+)$/.exec(args.find((arg) => arg.startsWith('--runs=')) ?? '')?.[1] ?? 3);
    const scrub = between(readme, SCRUB);
    readme = scrub.before + scrubBlock(runs) + scrub.after;
  }
  if (args.includes('--event-loop')) {
    const loop = between(readme, EVENT_LOOP);
    readme = loop.before + eventLoopBlock() + loop.after;
  }
  writeFileSync(readmePath, readme);
  console.log('README.md updated (benchmark figures)');
  process.exit(0);
}
const stdout = runDemo();
if (args.includes('--check')) {
  const { inside } = between(readme, DEMO);
  const shown = /```text\n([\s\S]*?)\n```/.exec(inside)?.[1] ?? '';
  if (mask(shown) !== mask(excerpt(stdout))) {
    console.error(
      `README.md's demo output is stale; run node scripts/readme-figures.mjs.\n--- README\n${shown}\n--- now\n${excerpt(stdout)}`,
    );
    process.exit(1);
  }
  console.log('README.md: the demo output has the shape of a real run');
} else {
  const demo = between(readme, DEMO);
  readme = demo.before + demoBlock(stdout) + demo.after;
  if (args.includes('--shards')) {
    const shards = between(readme, SHARDS);
    readme = shards.before + shardFigure() + shards.after;
  }
  writeFileSync(readmePath, readme);
  console.log(`README.md updated${args.includes('--shards') ? ' (demo output and shard figure)' : ' (demo output)'}`);
}

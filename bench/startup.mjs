// bench/startup: what it costs a bot to start consentry, against @sentry/node's own Sentry.init() in the same run.
// Each case runs in a fresh process (so module loading is counted), interleaved, 15 times; the median is reported.
// Run: npm run bench:startup
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNs, printTable } from './lib/measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DSN = 'http://public@127.0.0.1:9/1';
const ROUNDS = 15;

// Every script prints the nanoseconds between its first line and the end of set-up.
const timed = (body) =>
  `const t0 = process.hrtime.bigint(); ${body}; console.log(String(process.hrtime.bigint() - t0));`;
const cases = {
  consentry: timed(
    `const m = await import('consentry'); const t = m.createTelemetry({ suite: 'bench', dsn: '${DSN}', store: m.memoryStore(), env: {}, logger: { info() {}, warn() {}, error() {} } }); t.module({ name: 'status', version: '1.0.0' }); await t.consent.status(); await t.shutdown()`,
  ),
  sentryInit: timed(`const S = await import('@sentry/node'); S.init({ dsn: '${DSN}' }); await S.close(0)`),
  nothing: timed(`await import('node:os')`),
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, script] of Object.entries(cases)) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    samples[name].push(Number(out.trim().split('\n').pop()));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));

// The preload, timed as whole processes (it runs before any code of the bot): an empty script, the same with
// `--import consentry/instrumentation` configured by environment, and the same with @sentry/node's Sentry.init().
const storeDir = mkdtempSync(join(tmpdir(), 'consentry-bench-'));
const preloadEnv = { ...process.env, CONSENTRY_SUITE: 'bench', CONSENTRY_DSN: DSN, CONSENTRY_DIR: storeDir };
const processes = {
  empty: ['--input-type=module', '-e', ''],
  preload: ['--import', 'consentry/instrumentation', '--input-type=module', '-e', ''],
  sentryProcess: [
    '--input-type=module',
    '-e',
    `const S = await import('@sentry/node'); S.init({ dsn: '${DSN}' }); await S.close(0)`,
  ],
};
const wall = Object.fromEntries(Object.keys(processes).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of Object.entries(processes)) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: root, env: preloadEnv, stdio: 'ignore' });
    wall[name].push(Number(process.hrtime.bigint() - t0));
  }
}
rmSync(storeDir, { recursive: true, force: true });
const walls = Object.fromEntries(Object.entries(wall).map(([name, values]) => [name, median(values)]));

console.log(`Node ${process.version}, ${ROUNDS} fresh processes per case, median of each.`);
printTable('Start-up: module loading and set-up in a fresh process', results, [
  { name: 'sentryInit', label: '`@sentry/node`: `import` + `Sentry.init()` + `close()`' },
  {
    name: 'consentry',
    label: 'consentry: `import` + `createTelemetry()` + `module()` + settings read + `shutdown()`',
    baseline: 'sentryInit',
  },
  { name: 'nothing', label: 'an empty script (floor)', baseline: 'sentryInit' },
]);
console.log(`\n(${formatNs(results.consentry)} for consentry, ${formatNs(results.sentryInit)} for Sentry.init)`);
printTable('Process mode: whole process, start to exit', walls, [
  { name: 'sentryProcess', label: 'node + `@sentry/node` `Sentry.init()`' },
  {
    name: 'preload',
    label: 'node `--import consentry/instrumentation` (configured, consent read)',
    baseline: 'sentryProcess',
  },
  { name: 'empty', label: 'node with an empty script (floor)', baseline: 'sentryProcess' },
]);

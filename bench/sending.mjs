// bench/sending: what consentry's sending thread costs, against sending from the main thread as before, in the
// same run. Each case is a fresh process (so module loading, thread start-up and memory count), 11 rounds
// interleaved, median reported: import of the sender, first request (thread start-up included), then 200
// sequential 8 KiB envelopes; RSS and main-thread heap added (after a full collection) once they were sent.
// The fake Sentry runs in its own process. Run: npm run bench:sending
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS ?? 11);
const REQUESTS = 200;
const lib = (path) => JSON.stringify(pathToFileURL(join(root, path)).href);

const fake = spawn(process.execPath, [join(root, 'bench', 'lib', 'fake-sentry-process.mjs')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [line] = await once(fake.stdout, 'data');
const dsn = new URL(String(line).trim());
const url = `${dsn.protocol}//${dsn.host}/api${dsn.pathname}/envelope/?sentry_key=${dsn.username}`;

// Each script: `setup` imports the sender and defines `post(body)`; the harness around it measures.
const script = (setup) => `
const mem = () => { globalThis.gc(); const m = process.memoryUsage(); return { rss: m.rss, heap: m.heapUsed }; };
const before = mem();
const t0 = process.hrtime.bigint();
${setup}
const t1 = process.hrtime.bigint();
const cpu1 = process.cpuUsage();
const cpu1Time = process.hrtime.bigint();
const body = '{}\\n{"type":"event"}\\n' + JSON.stringify({ message: 'x'.repeat(8 * 1024) }) + '\\n';
const headers = { 'content-type': 'application/x-sentry-envelope' };
const first = post(body, headers);
const tSync = process.hrtime.bigint();
if ((await first) !== 200) throw new Error('first request not accepted');
const t2 = process.hrtime.bigint();
const cpu2 = process.cpuUsage(cpu1);
const cpu3start = process.cpuUsage();
for (let i = 0; i < ${REQUESTS}; i++) await post(body, headers);
const t3 = process.hrtime.bigint();
const cpu3 = process.cpuUsage(cpu3start);
const after = mem();
console.log(JSON.stringify({ importNs: Number(t1 - t0), firstNs: Number(t2 - t1), firstSyncNs: Number(tSync - cpu1Time), firstCpuNs: (cpu2.user + cpu2.system) * 1000, perRequestNs: Number(t3 - t2) / ${REQUESTS}, perRequestCpuNs: ((cpu3.user + cpu3.system) * 1000) / ${REQUESTS}, rss: after.rss - before.rss, heap: after.heap - before.heap }));
process.exit(0);
`;
const cases = {
  http: script(`const http = await import('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 30 });
const post = (body, headers) => new Promise((resolve, reject) => {
  const request = http.request(process.env.URL, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  request.on('error', reject);
  request.end(body);
});`),
  raw: script(`const { rawPoster } = await import(${lib('bench/lib/raw-http.mjs')});
const raw = rawPoster(process.env.URL);
const post = (body, headers) => raw.post(Buffer.from(body), headers);`),
  worker: script(`const { createPoster } = await import(${lib('dist/esm/src/net/index.js')});
const poster = createPoster({ timeoutMs: 10_000, gzipAbove: 32 * 1024 });
poster.hold(); // as a flush does: the sending thread alone does not keep a process alive
const post = async (body, headers) => (await poster.post({ kind: 'envelope', url: process.env.URL, headers, body })).status;`),
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, source] of Object.entries(cases)) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', source], {
      cwd: root,
      env: { ...process.env, URL: url },
      encoding: 'utf8',
    });
    samples[name].push(JSON.parse(out.trim().split('\n').pop()));
  }
}
fake.stdin.end('quit\n');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const stat = (name, key) => median(samples[name].map((sample) => sample[key]));
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
const us = (ns) => `${(ns / 1e3).toFixed(0)} µs`;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ratio = (name, key) => (name === 'http' ? 'baseline' : `${(stat(name, key) / stat('http', key)).toFixed(2)}×`);
const labels = {
  http: 'node:http on the main thread (before; baseline)',
  raw: 'hand-written HTTP/1.1 over a raw `net` socket, main thread',
  worker: 'consentry poster: worker thread (now)',
};

console.log(
  `Node ${process.version}, ${ROUNDS} fresh processes per case, median of each; ${REQUESTS} requests of 8 KiB.\n`,
);
console.log('Wall time is what a waiting flush sees; CPU time (all threads of the process) is the cost, and is');
console.log('less sensitive to a busy machine.\n');
console.log(
  '| case | first request: wall | first request: CPU | of which blocks the main thread | per request after: wall | per request: CPU | RSS added | main heap added |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of Object.keys(cases)) {
  const cells = [
    `${ms(stat(name, 'firstNs'))} (${ratio(name, 'firstNs')})`,
    `${ms(stat(name, 'firstCpuNs'))} (${ratio(name, 'firstCpuNs')})`,
    `${ms(stat(name, 'firstSyncNs'))}`,
    `${us(stat(name, 'perRequestNs'))} (${ratio(name, 'perRequestNs')})`,
    `${us(stat(name, 'perRequestCpuNs'))} (${ratio(name, 'perRequestCpuNs')})`,
    `${mib(stat(name, 'rss'))} (${ratio(name, 'rss')})`,
    `${mib(stat(name, 'heap'))}`,
  ];
  console.log(`| ${labels[name]} | ${cells.join(' | ')} |`);
}

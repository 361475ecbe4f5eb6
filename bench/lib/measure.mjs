// A small, honest benchmark harness: every case runs in the same process, interleaved round by round, and the
// result is the median time per operation over the rounds (robust to GC pauses and a busy neighbour).

/** @param {Record<string, () => unknown>} cases @param {{ rounds?: number, minRoundMs?: number }} options */
export function measure(cases, { rounds = 15, minRoundMs = 60 } = {}) {
  const names = Object.keys(cases);
  const batch = Object.fromEntries(names.map((name) => [name, calibrate(cases[name], minRoundMs)]));
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const fn = cases[name];
      const n = batch[name];
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) if (fn() === sink) sink++;
      samples[name].push(Number(process.hrtime.bigint() - start) / n);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

function calibrate(fn, minRoundMs) {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT
  let n = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms >= minRoundMs) return n;
    n = Math.max(n * 2, Math.ceil((n * minRoundMs) / Math.max(ms, 0.01)));
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const formatNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);

/** Prints a Markdown table: case, time per op, ratio against the named baseline. */
export function printTable(title, results, rows) {
  console.log(`\n${title}\n`);
  console.log('| case | time per op | ratio |');
  console.log('| --- | ---: | --- |');
  for (const { name, label, baseline } of rows) {
    const ratio = baseline
      ? `${(results[name] / results[baseline]).toFixed(2)}× ${baselineLabel(rows, baseline)}`
      : 'baseline';
    console.log(`| ${label} | ${formatNs(results[name])} | ${ratio} |`);
  }
}

function baselineLabel(rows, baseline) {
  return rows.find((row) => row.name === baseline)?.label ?? baseline;
}

// Generates a realistic, heavy Sentry-shaped error event: 25 stack frames from different files with context lines and
// local variables, 50 breadcrumbs, tags, contexts and extra data. Deterministic per seed; no two frames or
// breadcrumbs alike. The secrets in it are fakes (a fake bot token, documentation IPs, made-up ids).

export const BENCH_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
export const BENCH_ENV = { HOME: '/home/alice', USERNAME: 'alice', COMPUTERNAME: 'ALICE-DESKTOP' };

function rng(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const WORDS = [
  'guild',
  'member',
  'role',
  'channel',
  'config',
  'cache',
  'queue',
  'ticket',
  'status',
  'update',
  'fetch',
  'parse',
  'render',
  'embed',
  'button',
  'modal',
  'reply',
  'shard',
  'voice',
  'timer',
  'loop',
  'store',
  'notes',
  'audit',
];

export function makeEvent(seed = 1) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (max) => Math.floor(random() * max);
  const word = () => pick(WORDS);
  const snowflake = () => String(100000000000000000n + BigInt(int(2 ** 30)) * 7919n * BigInt(1 + int(1000)));
  const hex = (n) => Array.from({ length: n }, () => int(16).toString(16)).join('');

  const frames = Array.from({ length: 25 }, (_, i) => {
    const dir = i < 12 ? `node_modules/${word()}-${seed}-${i}` : `acme/${word()}${i}`;
    const file = `${word()}${i}.js`;
    const verb = word();
    const fn = `${word()}${verb[0].toUpperCase()}${verb.slice(1)}${i}`;
    const line = (k) => `${word()}${k}(${int(1000)})`;
    return {
      filename: `app:///${dir}/${file}`,
      abs_path: `${BENCH_ENV.HOME}/${file}`,
      function: fn,
      lineno: 10 + int(900),
      colno: 1 + int(80),
      in_app: i >= 12,
      pre_context: [line(1)],
      context_line: `throw new Error(\`${word()} ${i % 5 === 0 ? snowflake() : word()}\`)`,
      post_context: [line(4)],
      vars: {
        [`${word()}Id`]: i % 3 === 0 ? snowflake() : `${word()}-${int(99999)}`,
        options: `{ retries: ${int(5)} }`,
        [`${word()}Count`]: int(100),
        [`${word()}Name`]: `${word()}-${hex(4)}`,
        this: `<${word()}Manager>`,
      },
    };
  });

  const breadcrumbs = Array.from({ length: 50 }, (_, i) => ({
    timestamp: 1_732_500_000 + i * 1.25 + seed,
    type: i % 4 === 0 ? 'http' : 'default',
    category: i % 4 === 0 ? 'http' : `acme.${word()}`,
    level: pick(['info', 'debug', 'warning']),
    message:
      i % 7 === 0
        ? `${word()} ${snowflake()} from 203.0.113.${i} joined via https://discord.gg/${hex(6)}`
        : `${word()} ${i} took ${int(900)} ms`,
    data:
      i % 4 === 0
        ? {
            method: pick(['GET', 'POST', 'PATCH']),
            url: `/api/v10/channels/${snowflake()}`,
            status_code: 200 + int(300),
          }
        : { attempt: int(5) },
  }));

  return {
    event_id: hex(32),
    timestamp: 1_732_500_100 + seed,
    platform: 'node',
    level: 'error',
    logger: `acme.${word()}`,
    release: `acme-plugins|status@1.4.${seed % 50}`,
    environment: 'production',
    message: { formatted: `Failed to ${word()} ${word()} ${snowflake()} with token ${BENCH_TOKEN.slice(0, 40)}…` },
    exception: {
      values: [
        {
          type: 'DiscordAPIError',
          value: `Missing Access at /api/v10/guilds/${snowflake()}/members (${word()} ${seed})`,
          mechanism: { type: 'consentry', handled: true },
          stacktrace: { frames },
        },
      ],
    },
    breadcrumbs,
    tags: {
      module: 'status',
      version: '1.4.0',
      suite: 'acme-plugins',
      node: 'v24.11.0',
      os: 'linux x64',
      shard: String(seed % 4),
    },
    user: { id: '6f1c9a52-0c1e-4c2d-9d35-1b7e2a7c9f10' },
    contexts: {
      os: { name: 'Linux', version: '6.8.0', kernel_version: `6.8.0-${seed}-generic` },
      runtime: { name: 'node', version: 'v24.11.0' },
      trace: { trace_id: hex(32), span_id: hex(16) },
      app: { app_memory: 120_000_000 + seed, app_start_time: '2026-11-25T00:00:00.000Z' },
    },
    extra: {
      [`${word()}Config`]: { prefix: '!', locale: 'en', owner: snowflake(), path: `${BENCH_ENV.HOME}/bot/config.json` },
    },
    sdk: { name: 'consentry', version: '0.1.0', integrations: ['LinkedErrors', 'FunctionToString', 'InboundFilters'] },
  };
}

/** Counts strings (keys and values: both are scrubbed) and the JSON size, to check the event is as heavy as stated. */
export function describeEvent(event) {
  let strings = 0;
  const visit = (v) => {
    if (typeof v === 'string') strings++;
    else if (v && typeof v === 'object') {
      if (!Array.isArray(v)) strings += Object.keys(v).length;
      for (const item of Object.values(v)) visit(item);
    }
  };
  visit(event);
  return { strings, bytes: Buffer.byteLength(JSON.stringify(event)) };
}

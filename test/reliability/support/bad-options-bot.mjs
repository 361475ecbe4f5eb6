// A whole bot life with one bad option, for test/reliability/bad-options.test.ts. Run under
// `node --unhandled-rejections=strict bad-options-bot.mjs <case>` (a rejection nobody awaits exits 1), or with `--list`
// to print the cases. The working directory holds the default file store. Env: FAKE_DSN (a FakeSentry's DSN).
// Prints one JSON line: { lines: the logger's lines, caught: what the bot's own awaits caught }.
import { createTelemetry } from '../../../dist/esm/src/index.js';

const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const KEY = '0123456789abcdef0123456789abcdef';
const dsn = process.env.FAKE_DSN ?? `http://${KEY}@127.0.0.1:9/1`;
const fake = new URL(dsn);
const at = (path, key = fake.username) => `http://${key ? `${key}@` : ''}${fake.host}${path}`;
const circular = () => {
  const value = { name: 'loop' };
  value.self = value;
  return value;
};
const throwingGetters = (fields) =>
  Object.fromEntries(
    fields.map((field) => [
      field,
      {
        get() {
          throw new Error(`getter of ${field} throws`);
        },
      },
    ]),
  );
const hostile = (fields) => Object.defineProperties({}, throwingGetters(fields));
const throwingLogger = {
  debug() {
    throw new Error('logger broke');
  },
  info() {
    throw new Error('logger broke');
  },
  warn() {
    throw new Error('logger broke');
  },
  error() {
    throw new Error('logger broke');
  },
};
const rejectingStore = {
  read: () => Promise.reject(new Error('store read failed')),
  update: () => Promise.reject(new Error('store update failed')),
  claim: () => Promise.reject(new Error('store claim failed')),
  subscribe: () => () => {},
  close: () => Promise.reject(new Error('store close failed')),
};
const throwingStore = {
  read() {
    throw new Error('store read threw');
  },
  update() {
    throw new Error('store update threw');
  },
  claim() {
    throw new Error('store claim threw');
  },
  subscribe() {
    throw new Error('store subscribe threw');
  },
  close() {
    throw new Error('store close threw');
  },
};
const garbageStore = { read: () => 42, update: () => 'x', claim: () => null, subscribe: () => 5, close: () => 7 };

// Each case: where the bad value goes, the value, and the line (regex source) the bot's logger, its own awaits or its
// stderr must show. `null`: no error line at all (the value is accepted).
const cases = {};
const add = (group, name, patch, expect, env) => {
  cases[`${group}: ${name}`] = { group, patch, expect, env };
};

// createTelemetry(options): the patch is merged into the bot's options (a function replaces them).
const dsnLine = 'option `dsn` is not a valid Sentry DSN';
add('createTelemetry', 'dsn with a trailing slash', { dsn: `${dsn}/` }, null);
add('createTelemetry', 'dsn with a trailing slash, DO_NOT_TRACK=1', { dsn: `${dsn}/` }, null, { DO_NOT_TRACK: '1' });
add('createTelemetry', 'dsn with a non-numeric project', { dsn: at('/acme') }, dsnLine);
add('createTelemetry', 'dsn with a non-numeric project, DO_NOT_TRACK=1', { dsn: at('/acme') }, dsnLine, {
  DO_NOT_TRACK: '1',
});
add('createTelemetry', 'dsn with a non-numeric project, CONSENTRY_DISABLED=1', { dsn: at('/4507/x/') }, dsnLine, {
  CONSENTRY_DISABLED: '1',
});
add('createTelemetry', 'dsn with letters after the project', { dsn: at('/4507abc') }, dsnLine);
add('createTelemetry', 'dsn without project', { dsn: at('/') }, 'has no project id');
add('createTelemetry', 'dsn without key', { dsn: at('/1', '') }, 'has no public key');
add('createTelemetry', 'dsn https://example.com', { dsn: 'https://example.com' }, 'has no public key');
add('createTelemetry', 'dsn https://key@example.com/', { dsn: 'https://key@example.com/' }, 'has no project id');
add('createTelemetry', 'dsn http://127.0.0.1:9/1 without key', { dsn: 'http://127.0.0.1:9/1' }, 'has no public key');
add('createTelemetry', 'dsn with another scheme', { dsn: `ftp://${KEY}@127.0.0.1/1` }, 'must start with https://');
add('createTelemetry', 'dsn not a URL', { dsn: 'not a dsn' }, 'is not a URL');
add('createTelemetry', 'dsn empty', { dsn: '' }, 'is empty');
add('createTelemetry', 'dsn a number', { dsn: 4507 }, 'must be a string');
add('createTelemetry', 'dsn NaN', { dsn: Number.NaN }, 'must be a string, got NaN');
add('createTelemetry', 'dsn an object', { dsn: { url: dsn } }, 'must be a string, got an object');
add('createTelemetry', 'dsn a URL object', { dsn: new URL(dsn) }, 'must be a string, got an object');
add('createTelemetry', 'suite empty', { suite: '' }, '`suite` must be');
add('createTelemetry', 'suite a number', { suite: 42 }, '`suite` must be');
add('createTelemetry', 'suite with a path', { suite: '../etc' }, '`suite` must be');
add('createTelemetry', 'suite an object', { suite: { name: 'acme' } }, '`suite` must be');
add('createTelemetry', 'policyVersion NaN', { policyVersion: Number.NaN }, '`policyVersion` must be');
add('createTelemetry', 'policyVersion negative', { policyVersion: -1 }, '`policyVersion` must be');
add('createTelemetry', 'policyVersion a string', { policyVersion: '1' }, '`policyVersion` must be');
add('createTelemetry', 'policyVersion a BigInt', { policyVersion: 1n }, '`policyVersion` must be');
add('createTelemetry', 'policyVersion circular', { policyVersion: circular() }, '`policyVersion` must be');
add('createTelemetry', 'docsUrl not a URL', { docsUrl: 'docs' }, '`docsUrl` must be');
add('createTelemetry', 'docsUrl ftp', { docsUrl: 'ftp://example.com' }, '`docsUrl` must be');
add('createTelemetry', 'docsUrl an object', { docsUrl: new URL('https://example.com') }, '`docsUrl` must be');
add('createTelemetry', 'store an empty object', { store: {} }, '`store` must be');
add('createTelemetry', 'store a string', { store: 'redis://localhost' }, '`store` must be');
add('createTelemetry', 'store whose promises reject', { store: rejectingStore }, 'store update failed');
add('createTelemetry', 'store whose methods throw', { store: throwingStore }, 'store update threw');
add('createTelemetry', 'store that answers garbage', { store: garbageStore }, 'store');
add('createTelemetry', 'level in capitals', { level: 'ALL' }, '`level` must be');
add('createTelemetry', 'level a number', { level: 3 }, '`level` must be');
add('createTelemetry', 'tracesSampleRate NaN', { tracesSampleRate: Number.NaN }, '`tracesSampleRate` must be');
add('createTelemetry', 'tracesSampleRate negative', { tracesSampleRate: -1 }, '`tracesSampleRate` must be');
add('createTelemetry', 'tracesSampleRate 2', { tracesSampleRate: 2 }, '`tracesSampleRate` must be');
add('createTelemetry', 'tracesSampleRate a string', { tracesSampleRate: '0.5' }, '`tracesSampleRate` must be');
add('createTelemetry', 'tracesSampleRate a BigInt', { tracesSampleRate: 1n }, '`tracesSampleRate` must be');
add('createTelemetry', 'botToken a number', { botToken: 5 }, '`botToken` must be');
add('createTelemetry', 'botToken an object', { botToken: { token: TOKEN } }, '`botToken` must be');
add(
  'createTelemetry',
  'botToken a function that throws',
  {
    botToken: () => {
      throw new Error('no token yet');
    },
  },
  null,
);
add('createTelemetry', 'botToken a function returning a number', { botToken: () => 5 }, null);
add('createTelemetry', 'botToken empty', { botToken: '' }, null);
add('createTelemetry', 'logger a number', { logger: 5 }, '`logger` must be');
add('createTelemetry', 'logger whose methods throw', { logger: throwingLogger }, null);
add('createTelemetry', 'logger with strings for methods', { logger: { error: 'x', warn: 'y', info: 'z' } }, null);
add('createTelemetry', 'env a string', { env: 'production' }, '`env` must be');
add('createTelemetry', 'env DO_NOT_TRACK=1', { env: { DO_NOT_TRACK: '1' } }, null);
add('createTelemetry', 'env CONSENTRY_LEVEL wrong', { env: { CONSENTRY_LEVEL: 'loud' } }, 'CONSENTRY_LEVEL');
add('createTelemetry', 'env with a non-string value', { env: { DO_NOT_TRACK: 1, CONSENTRY_LEVEL: {} } }, null);
add('createTelemetry', 'strict a string', { strict: 'yes' }, '`strict` must be');
add('createTelemetry', 'options null', () => null, 'needs an options object');
add('createTelemetry', 'options a string', () => 'acme', 'needs an options object');
add('createTelemetry', 'options whose getters throw', () => hostile(['suite', 'dsn', 'logger']), 'getter of');

// telemetry.module(options): the patch is merged into { name: 'status', version: '1.0.0' } (a function replaces it).
add('module', 'options null', () => null, 'needs an options object');
add('module', 'options a string', () => 'status', 'needs an options object');
add('module', 'name empty', { name: '' }, '`name` must be');
add('module', 'name a number', { name: 5 }, '`name` must be');
add('module', 'name with spaces', { name: 'my module' }, '`name` must be');
add('module', 'name an object', { name: { toString: () => 'status' } }, '`name` must be');
add('module', 'version empty', { version: '' }, '`version` must be');
add('module', 'version NaN', { version: Number.NaN }, '`version` must be');
add('module', 'version a BigInt', { version: 1n }, '`version` must be');
add('module', 'version too long', { version: 'x'.repeat(100) }, '`version` must be');
add('module', 'commit a number', { commit: 5 }, '`commit` must be');
add('module', 'root empty', { root: '' }, '`root` must be');
add('module', 'root an object', { root: new URL('file:///tmp/') }, '`root` must be');
add('module', 'options whose getters throw', () => hostile(['name', 'version']), 'getter of');

// mod.loop(name, options, fn): the patch is merged into { every: 5 } (a function gives all three arguments).
const loopFn = () => {};
add('loop', 'options null', () => ['poll', null, loopFn], 'options must be an object');
add('loop', 'options a number', () => ['poll', 1000, loopFn], 'options must be an object');
add('loop', 'every NaN', { every: Number.NaN }, '`every` must be');
add('loop', 'every negative', { every: -1 }, '`every` must be');
add('loop', 'every 0', { every: 0 }, '`every` must be');
add('loop', 'every a string', { every: '1000' }, '`every` must be');
add('loop', 'every Infinity', { every: Number.POSITIVE_INFINITY }, '`every` must be');
add('loop', 'every beyond setTimeout', { every: 2 ** 40 }, '`every` must be');
add('loop', 'every a BigInt', { every: 1000n }, '`every` must be');
add('loop', 'runAtStart a string', { runAtStart: 'yes' }, '`runAtStart` must be');
add('loop', 'jitter negative', { jitter: -1 }, '`jitter` must be');
add('loop', 'jitter NaN', { jitter: Number.NaN }, '`jitter` must be');
add('loop', 'checkIn a string', { checkIn: 'nightly' }, '`checkIn` must be');
add('loop', 'checkIn empty slug', { checkIn: { monitorSlug: '' } }, '`checkIn` must be');
add('loop', 'checkIn circular', { checkIn: circular() }, '`checkIn` must be');
add(
  'loop',
  'checkIn with a wrong monitorConfig',
  { checkIn: { monitorSlug: 'poll', monitorConfig: 'hourly' } },
  '`checkIn` must be',
);
add('loop', 'fn not a function', () => ['poll', { every: 5 }, 'run'], 'fn must be the function');
add('loop', 'name an object', () => [{ name: 'poll' }, { every: 5 }, loopFn], null);
add('loop', 'name a Symbol', () => [Symbol('poll'), { every: 5 }, loopFn], null);
add('loop', 'options whose getters throw', () => ['poll', hostile(['every']), loopFn], 'getter of');
add(
  'loop',
  'fn throws a Proxy that throws on every trap',
  () => [
    'poll',
    { every: 5 },
    () => {
      throw hostileError();
    },
  ],
  'loop poll failed: a value that cannot be shown',
);

// mod.migration(name, range, fn): the patch replaces the range (a function gives all three arguments).
add('migration', 'range null', () => ['config', null, () => {}], 'range must be');
add('migration', 'range NaN', () => ['config', { from: Number.NaN, to: 2 }, () => {}], 'range must be');
add('migration', 'range objects', () => ['config', { from: {}, to: [] }, () => {}], 'range must be');
add('migration', 'range a BigInt', () => ['config', { from: 1n, to: 2n }, () => {}], 'range must be');
add('migration', 'range empty strings', () => ['config', { from: '', to: ' ' }, () => {}], 'range must be');
add('migration', 'fn not a function', () => ['config', { from: 1, to: 2 }, 5], 'must be the function');
add('migration', 'name a Symbol', () => [Symbol('config'), { from: 1, to: 2 }, () => {}], null);

// mod.task(name, fn): a function gives both arguments.
add('task', 'fn undefined', () => ['sync', undefined], 'must be the function to run');
add('task', 'fn a string', () => ['sync', 'run'], 'must be the function to run');
add('task', 'name a Symbol', () => [Symbol('sync'), () => 1], null);
add('task', 'name an object', () => [{ toString: null }, () => 1], null);
add('task', 'name empty', () => ['', () => 1], null);
add(
  'task',
  'fn throws null',
  () => [
    'sync',
    () => {
      throw null;
    },
  ],
  'task sync failed: null',
);
add('task', 'fn rejects with undefined', () => ['sync', () => Promise.reject(undefined)], 'task sync failed');
add(
  'task',
  'fn throws a Proxy that throws on every trap',
  () => [
    'sync',
    () => {
      throw hostileError();
    },
  ],
  'task sync failed',
);
add(
  'task',
  'fn returns a thenable that throws',
  () => [
    'sync',
    () => ({
      // biome-ignore lint/suspicious/noThenProperty: a broken thenable is the bad input under test
      then() {
        throw new Error('thenable broke');
      },
    }),
  ],
  'thenable broke',
);

function hostileError() {
  const fail = () => {
    throw new Error('hostile');
  };
  return new Proxy(
    {},
    { get: fail, getPrototypeOf: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, apply: fail },
  );
}

if (process.argv[2] === '--list') {
  const list = Object.entries(cases).map(([name, { group, expect, env }]) => ({ name, group, expect, env }));
  process.stdout.write(`${JSON.stringify(list)}\n`);
  process.exit(0);
}

const name = process.argv[2];
const chosen = cases[name];
if (!chosen) throw new Error(`no such case: ${name}`);
const lines = [];
const caught = [];
const log = (level) => (message) => lines.push(`${level}: ${message}`);
const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
const catchAs = (where) => (error) => {
  let text;
  try {
    text = error instanceof Error ? error.message : String(error);
  } catch {
    text = 'an unprintable value';
  }
  caught.push(`${where}: ${text}`);
};
const apply = (group, base) => {
  if (chosen.group !== group) return base;
  return typeof chosen.patch === 'function' ? chosen.patch() : { ...base, ...chosen.patch };
};

const telemetry = createTelemetry(apply('createTelemetry', { suite: 'acme-life', dsn, logger, botToken: TOKEN }));
const mod = telemetry.module(apply('module', { name: 'status', version: '1.0.0' }));
await telemetry.consent.status();
await telemetry.consent.set('all', { by: 'owner:1' }).catch(catchAs('consent.set'));

const taskArgs = chosen.group === 'task' ? chosen.patch() : ['sync', () => 1];
await mod.task(...taskArgs).catch(catchAs('task'));
await mod.task('steps', async () => {
  await mod.span('fetch', () => fetch(at('/health')).catch(() => undefined));
});
await mod.task('failing', () => Promise.reject(new Error('task failed on purpose'))).catch(() => {});

const loopArgs =
  chosen.group === 'loop'
    ? typeof chosen.patch === 'function'
      ? chosen.patch()
      : ['poll', { every: 5, ...chosen.patch }, loopFn]
    : ['poll', { every: 5, checkIn: { monitorSlug: 'poll' } }, loopFn];
const loop = mod.loop(...loopArgs);
await loop.runNow();
const migrationArgs = chosen.group === 'migration' ? chosen.patch() : ['config', { from: 1, to: 2 }, () => 'migrated'];
await mod.migration(...migrationArgs).catch(catchAs('migration'));

mod.logger.info(`logged in with ${TOKEN}`);
mod.captureError(new Error(`boom with ${TOKEN}`));
mod.captureError(null);
mod.captureError(undefined);
mod.captureError(Symbol('odd'));
mod.captureError(hostileError());
mod.captureError(circular());
await mod.command(async () => mod.task('in-command', () => 1))();
await mod
  .command(async () => {
    throw new Error('command failed on purpose');
  })()
  .catch(() => {});
try {
  mod.listener(() => {
    throw new Error('listener failed on purpose');
  })();
} catch {
  // Handed on to the bot, as a listener's error should be.
}

for (const level of ['errors', 'manual', 'off', 'all', 'bogus']) {
  await telemetry.consent.set(level, { by: 'owner:1' }).catch(catchAs(`consent.set ${level}`));
}
telemetry.reports.list();
await telemetry.sent.list().catch(catchAs('sent.list'));
await telemetry.flush();
await new Promise((resolve) => setTimeout(resolve, 20));
await loop.stop();
await telemetry.consent.forget().catch(catchAs('consent.forget'));
await telemetry.shutdown();
await telemetry.shutdown();
process.stdout.write(`${JSON.stringify({ lines, caught })}\n`);

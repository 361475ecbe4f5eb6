// `redis`, `ws` and `@opentelemetry/sdk-node` are optional peer dependencies: a plugin author who does not use
// redisStore, FakeDiscord or process mode does not install them. Here the built package is installed in a temporary
// project whose node_modules has every dependency of this checkout except those three (linked, not copied), and used
// as a user would: what does not need them works, what needs them says which package to install.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../examples/support.js';
import { assertBuilt, root } from '../support/built.js';
import { runNode } from '../support/child.js';

const ABSENT = new Set(['redis', '@redis', 'ws', '@opentelemetry/sdk-node']);
let project: string;

function linkModules(from: string, to: string, scope = ''): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const name = scope ? `${scope}/${entry.name}` : entry.name;
    if (ABSENT.has(name) || entry.name.startsWith('.') || name === 'consentry') continue;
    if (!scope && entry.name.startsWith('@')) linkModules(join(from, entry.name), join(to, entry.name), entry.name);
    else symlinkSync(join(from, entry.name), join(to, entry.name));
  }
}

const node = (args: string[], env: NodeJS.ProcessEnv = cleanEnv()) => runNode(args, { cwd: project, env });

beforeAll(async () => {
  assertBuilt();
  project = mkdtempSync(join(tmpdir(), 'consentry-peers-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-plugin', private: true, type: 'module' }));
  const modules = join(project, 'node_modules');
  linkModules(join(root, 'node_modules'), modules);
  const installed = join(modules, 'consentry');
  mkdirSync(installed);
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  // The premise: from this project, the three packages cannot be resolved.
  for (const name of ['redis', 'ws', '@opentelemetry/sdk-node']) {
    const probe = await node(['-e', `require.resolve(${JSON.stringify(name)})`]);
    expect(probe.code, `${name} should be absent`).not.toBe(0);
  }
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('without the optional peer dependencies', () => {
  const suite = `const t = createTelemetry({ suite: 'acme', env: {} });
    console.log((await t.consent.status()).level);
    await t.shutdown();`;
  it.each([
    ['import', '--input-type=module', `const { createTelemetry } = await import('consentry'); ${suite}`],
    [
      'require',
      '--input-type=commonjs',
      `const { createTelemetry } = require('consentry'); (async () => { ${suite} })()`,
    ],
  ])('consentry loads with %s, and a suite on the file store works', async (_, type, script) => {
    const result = await node([type, '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('manual\n');
  });

  it('a suite on redisStore({ url }) logs the package to install and stays at manual', async () => {
    const script = `
      import { createTelemetry, redisStore } from 'consentry';
      const lines = [];
      const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
      const t = createTelemetry({ suite: 'acme', env: {}, logger, store: redisStore({ url: 'redis://127.0.0.1:1' }) });
      console.log((await t.consent.status()).level);
      await t.shutdown();
      console.log(lines.join('\\n'));
    `;
    const result = await node(['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^manual\n/);
    expect(result.stdout).toContain('needs the package `redis`');
    expect(result.stdout).toContain('Fix: npm install redis');
  });

  it('redisStore({ url }) rejects each use with an error naming the package to install', async () => {
    const script = `
      import { redisStore, MissingPackageError, ConsentryConfigError } from 'consentry';
      const store = redisStore({ url: 'redis://127.0.0.1:1' });
      const error = await store.read('acme').catch((e) => e);
      console.log(error instanceof MissingPackageError, error instanceof ConsentryConfigError, error.package);
      console.log(error.message);
    `;
    const result = await node(['--input-type=module', '-e', script]);
    // Without a suite to hand it a logger, the store says it once on the console.
    expect(result.stderr.match(/the redis store cannot start: .*Fix: npm install redis/g)).toHaveLength(1);
    expect(result.stdout).toBe(
      'true true redis\n' +
        'consentry: redisStore({ url }) needs the package `redis`, an optional peer dependency of consentry that is ' +
        'not installed. Fix: npm install redis\n',
    );
  });

  it('consentry/testing: FakeSentry works, FakeDiscord.start() rejects naming ws', async () => {
    const script = `
      import { FakeDiscord, FakeSentry } from 'consentry/testing';
      const sentry = await FakeSentry.start();
      console.log(sentry.dsn.startsWith('http://'));
      await sentry.close();
      const error = await FakeDiscord.start().catch((e) => e);
      console.log(error.message);
    `;
    const result = await node(['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'true\nconsentry: FakeDiscord (consentry/testing) needs the package `ws`, an optional peer dependency of ' +
        'consentry that is not installed. Fix: npm install ws\n',
    );
  });

  it('the process-mode preload says which package to install, and the bot runs as without it', async () => {
    const env = cleanEnv({ CONSENTRY_SUITE: 'acme', CONSENTRY_DSN: 'http://key@127.0.0.1:9/1' });
    const result = await node(['--import', 'consentry/instrumentation', '-e', 'console.log("the bot ran")'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('the bot ran\n');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        'consentry/instrumentation: consentry: process mode (consentry/instrumentation) needs the package ' +
          '`@opentelemetry/sdk-node`, an optional peer dependency of consentry that is not installed. ' +
          'Fix: npm install @opentelemetry/sdk-node; process mode is off, the bot runs as without it',
      ),
    ]);
  });
});

describe('with them (this checkout)', () => {
  it('the same preload starts process mode', async () => {
    const env = cleanEnv({
      CONSENTRY_SUITE: 'acme',
      CONSENTRY_DSN: 'http://key@127.0.0.1:9/1',
      CONSENTRY_DIR: project,
    });
    const script =
      'const { processMode } = require("consentry/instrumentation"); console.log(processMode?.tracing === true)';
    const result = await runNode(['--import', 'consentry/instrumentation', '-e', script], { cwd: root, env });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true\n');
  });
});

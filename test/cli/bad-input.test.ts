// Wrong command lines, unknown suites, a corrupt store and Redis down: one clear line, the right exit code, and
// nothing changed in the store.
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, fileStore, redisStore } from '../../src/index.js';
import { assertBuilt } from '../support/built.js';
import { captureLogger } from '../support/logger.js';
import { describeRedis, RedisServer } from '../support/redis.js';
import { tempDir } from '../support/wait.js';
import { BIN, type CliResult, consentry } from './support/cli.js';

let dir: Awaited<ReturnType<typeof tempDir>>;

async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir.path)).sort()) {
    if (name.endsWith('.json')) files[name] = await readFile(join(dir.path, name), 'utf8');
    else files[name] = '(folder or other)';
  }
  return files;
}

function failsWithOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
  const telemetry = createTelemetry({
    suite: 'acme',
    policyVersion: 1,
    store: fileStore({ dir: dir.path }),
    env: {},
    logger: captureLogger(),
  });
  await telemetry.consent.status();
  await telemetry.shutdown();
});
afterAll(async () => {
  await dir.remove();
});

describe('usage errors: exit 2 with the usage', () => {
  for (const [args, pattern] of [
    [[], /a command is missing/],
    [['launch'], /unknown command "launch"/],
    [['set', '--suite', 'acme'], /`set` needs a level: one of off, manual, errors, all/],
    [['set', 'loud', '--suite', 'acme'], /`set` needs a level/],
    [['set', 'all'], /`set` needs --suite S/],
    [['status', '--colour'], /Unknown option '--colour'/],
    [['sent', '--suite', 'acme', '--dir', '/tmp', '--redis', 'redis://127.0.0.1'], /--dir.*or --redis.*not both/],
    [['sent', '--suite', 'acme', '--redis', 'http://127.0.0.1'], /--redis must be a URL starting with redis:\/\//],
    [['sent', '--suite', '../etc'], /--suite must be 1-100 characters/],
    [['reports', 'send', '--suite', 'acme'], /`reports send` needs the report's CODE/],
  ] as const) {
    it(`consentry ${args.join(' ')}`, async () => {
      const before = await snapshot();
      const own = args.some((arg) => arg === '--dir' || arg === '--redis');
      const result = await consentry([...args, ...(own ? [] : ['--dir', dir.path])]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).toContain('Usage: consentry <command> [options]');
      expect(await snapshot()).toEqual(before);
    });
  }

  it('the bin starts with a node shebang (npm links it as `consentry`)', () => {
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const result = await consentry(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Exit codes: 0 done; 1 refused or failed');
  });
});

describe('bad input: one line, exit 1, nothing changed', () => {
  it('an unknown suite names the known ones', async () => {
    const before = await snapshot();
    failsWithOneLine(
      await consentry(['set', 'all', '--suite', 'acmee', '--dir', dir.path]),
      /^consentry: no suite 'acmee' in .* \(known: acme\)\. Check --suite/,
    );
    failsWithOneLine(await consentry(['sent', '--suite', 'acmee', '--dir', dir.path]), /no suite 'acmee'/);
    expect(await snapshot()).toEqual(before);
  });

  it('a folder that is not a store', async () => {
    const missing = join(dir.path, 'nowhere');
    failsWithOneLine(await consentry(['status', '--dir', missing]), /^consentry: no suites in .*nowhere yet/);
    expect(await readdir(dir.path)).not.toContain('nowhere');
  });

  it('a corrupt settings file is left exactly as it is (not moved aside)', async () => {
    await writeFile(join(dir.path, 'broken.json'), '{"level": "all", ');
    const before = await snapshot();
    for (const args of [
      ['status'],
      ['status', '--suite', 'broken'],
      ['set', 'off', '--suite', 'broken'],
      ['forget', '--suite', 'broken'],
      ['sent', '--suite', 'broken'],
    ]) {
      failsWithOneLine(
        await consentry([...args, '--dir', dir.path]),
        /^consentry: the settings file .*broken\.json is unreadable \(invalid JSON .*\); nothing was changed\. Fix or remove it/,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('Redis down', async () => {
    for (const args of [['status'], ['set', 'all', '--suite', 'acme']]) {
      failsWithOneLine(
        await consentry(args, { CONSENTRY_REDIS_URL: 'redis://127.0.0.1:1' }),
        /^consentry: cannot reach the store at redis:\/\/127\.0\.0\.1:1 \(.*\); nothing was changed\./,
      );
    }
  });
});

describeRedis('with Redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
    const telemetry = createTelemetry({
      suite: 'acme',
      policyVersion: 1,
      store: redisStore({ url: server.url }),
      env: {},
      logger: captureLogger(),
    });
    await telemetry.consent.status();
    await telemetry.shutdown();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('status lists the suites (not their companion documents); unreadable settings are left untouched', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      await client.hSet('consentry:broken', { doc: '{"level": "all", ', rev: '1', gen: 'g' });
      const keys = async () => (await client.keys('*')).sort();
      const before = await keys();
      const broken = await client.hGetAll('consentry:broken');
      const env = { CONSENTRY_REDIS_URL: server.url };
      failsWithOneLine(
        await consentry(['set', 'off', '--suite', 'broken'], env),
        /^consentry: the Redis key consentry:broken holds unreadable settings \(invalid JSON .*\); nothing was changed/,
      );
      failsWithOneLine(await consentry(['status'], env), /consentry:broken holds unreadable settings/);
      expect(await keys()).toEqual(before);
      expect(await client.hGetAll('consentry:broken')).toEqual(broken);

      await client.del('consentry:broken');
      const listed = await consentry(['status', '--json'], env);
      expect(JSON.parse(listed.stdout).suites.map((suite: { suite: string }) => suite.suite)).toEqual(['acme']);
    } finally {
      await client.close();
    }
  });
});

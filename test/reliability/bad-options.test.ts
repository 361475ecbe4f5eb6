import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSentry } from '../../src/testing/index.js';
import { assertBuilt } from '../support/built.js';
import { runNode } from '../support/child.js';

// Promise 5 with every bad option we could think of: a whole bot life (create, modules, tasks, loops, migrations,
// commands, captureError, level changes, flush, forget, shutdown) runs under --unhandled-rejections=strict, where a
// rejection nobody awaits ends the process with exit code 1. Each case must end with 0 and show its expected line.
const bot = join(import.meta.dirname, 'support', 'bad-options-bot.mjs');

interface Case {
  name: string;
  group: string;
  /** Text the bot's logger, its own awaits or its stderr must show; null: the value is accepted (no error line). */
  expect: string | null;
  /** Process environment of the bot, e.g. DO_NOT_TRACK=1. */
  env?: Record<string, string>;
}

assertBuilt();
const cases = JSON.parse(execFileSync(process.execPath, [bot, '--list'], { encoding: 'utf8' })) as Case[];

let sentry: FakeSentry;
beforeAll(async () => {
  sentry = await FakeSentry.start();
});
afterAll(() => sentry.close());

function runBot(name: string, env: Record<string, string> = {}) {
  return runNode(['--unhandled-rejections=strict', bot, name], {
    cwd: mkdtempSync(join(tmpdir(), 'consentry-bad-options-')),
    env: { PATH: process.env.PATH ?? '', FAKE_DSN: sentry.dsn, ...env },
  });
}

describe.concurrent('a whole bot life with one bad option, under --unhandled-rejections=strict', () => {
  it('covers every stage', () => {
    expect(new Set(cases.map((c) => c.group))).toEqual(
      new Set(['createTelemetry', 'module', 'loop', 'migration', 'task']),
    );
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const exit = await runBot(c.name, c.env);
    expect(exit.stderr.match(/^\w*Error.*$/m)?.[0] ?? '', exit.stderr).not.toMatch(/Unhandled|Error/);
    expect(exit.code, exit.stderr).toBe(0);
    const { lines, caught } = JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? '{}') as {
      lines: string[];
      caught: string[];
    };
    const errors = lines.filter((line) => line.startsWith('error: ') && !line.includes('on purpose'));
    if (c.expect === null) {
      expect(errors).toEqual([]);
    } else {
      expect([...lines, ...caught, exit.stderr].join('\n')).toContain(c.expect);
    }
    // The bot token never reaches a log line of consentry's own (the bot logs it once itself, on purpose).
    expect(lines.filter((line) => line.includes('MTk4NjIyNDgzNDcxOTI1MjQ4.') && !line.includes('logged in'))).toEqual(
      [],
    );
  });
});

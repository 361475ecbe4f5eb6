import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/scrub/index.js';
import {
  createModuleReporter,
  type ModuleReporterOptions,
  ModuleReporterOptionsError,
} from '../../src/sentry/index.js';

const valid: ModuleReporterOptions = {
  dsn: 'https://abc123@o0.ingest.sentry.io/42',
  suite: 'acme-plugins',
  module: 'status',
  version: '1.4.0',
  userId: randomUUID(),
  sessionId: randomUUID(),
  scrubber: createScrubber({}),
  level: 'off',
};

describe('createModuleReporter options', () => {
  it('accepts valid options and builds the release', async () => {
    const reporter = createModuleReporter(valid);
    expect(reporter.release).toBe('acme-plugins|status@1.4.0');
    expect(reporter.level).toBe('off');
    await reporter.close();
  });

  it('names every wrong field and its fix in one error', () => {
    const bad = {
      ...valid,
      dsn: 'not a dsn',
      module: '',
      userId: 'user-1',
      level: 'verbose',
      sessionRotateMs: -5,
      tags: { 'discord.js': 14 },
      scrubber: undefined,
    } as unknown as ModuleReporterOptions;
    let error: unknown;
    try {
      createModuleReporter(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModuleReporterOptionsError);
    const message = (error as Error).message;
    for (const part of [
      'dsn is not a valid Sentry DSN: it is not a URL',
      'module must be a non-empty string',
      'userId must be a UUID (crypto.randomUUID())',
      "level must be 'off', 'manual', 'errors' or 'all'",
      'sessionRotateMs must be a whole number',
      'tags.discord.js must be a string',
      'scrubber must come from createScrubber',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('rejects a non-object', () => {
    expect(() => createModuleReporter(undefined as unknown as ModuleReporterOptions)).toThrow(
      /options must be an object/,
    );
  });
});

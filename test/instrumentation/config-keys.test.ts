// consentry.config.json: a key that is no setting is reported with the closest setting's name, not ignored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcessConfig } from '../../instrumentation/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('consentry.config.json keys', () => {
  it('warns for an unknown key with the closest setting, and reads the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-config-'));
    dirs.push(dir);
    const file = join(dir, 'consentry.config.json');
    writeFileSync(
      file,
      JSON.stringify({ suite: 'my-bot', dsn: 'https://key@o0.ingest.sentry.io/1', polcyVersion: 2, otlpEndpoint: 'x' }),
    );
    const warnings: string[] = [];
    const config = readProcessConfig({}, dir, (message) => warnings.push(message));
    expect(config?.suite).toBe('my-bot');
    expect(config?.policyVersion).toBe(1);
    expect(warnings).toEqual([
      `consentry: ${file}: unknown option polcyVersion: did you mean policyVersion? It is ignored.`,
      `consentry: ${file}: unknown option otlpEndpoint: the options are suite, dsn, version, environment, dir, tracesSampleRate, policyVersion, botTokenEnv, spanTransport. It is ignored.`,
    ]);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcessConfig } from '../../instrumentation/config.js';

const DSN = 'http://0123456789abcdef0123456789abcdef@127.0.0.1:9/1';
const empty = () => mkdtempSync(join(tmpdir(), 'consentry-config-'));

describe('process mode configuration: spanTransport', () => {
  it("defaults to 'auto'; CONSENTRY_SPAN_TRANSPORT overrides the config file", () => {
    const dir = empty();
    expect(readProcessConfig({ CONSENTRY_SUITE: 'acme-bot', CONSENTRY_DSN: DSN }, dir)?.spanTransport).toBe('auto');
    writeFileSync(
      join(dir, 'consentry.config.json'),
      JSON.stringify({ suite: 'acme-bot', dsn: DSN, spanTransport: 'otlp' }),
    );
    expect(readProcessConfig({}, dir)?.spanTransport).toBe('otlp');
    expect(readProcessConfig({ CONSENTRY_SPAN_TRANSPORT: 'envelope' }, dir)?.spanTransport).toBe('envelope');
  });

  it('a wrong value names where it came from and the values allowed', () => {
    const dir = empty();
    expect(() =>
      readProcessConfig({ CONSENTRY_SUITE: 'acme-bot', CONSENTRY_DSN: DSN, CONSENTRY_SPAN_TRANSPORT: 'grpc' }, dir),
    ).toThrow(/CONSENTRY_SPAN_TRANSPORT must be one of 'auto', 'otlp', 'envelope'; got "grpc"/);
  });
});

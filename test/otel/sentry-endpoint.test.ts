import { getOtlpTracesEndpoint } from '@sentry/node';
import { describe, expect, it, vi } from 'vitest';
import { sentryOtlpEndpoint } from '../../src/otel/index.js';

describe('sentryOtlpEndpoint', () => {
  it.each([
    'https://abc123@o0.ingest.sentry.io/42',
    'http://key_1@127.0.0.1:9000/7',
    'https://abc@sentry.example.com/base/path/99',
    'https://abc:secret@sentry.example.com:8443/5',
  ])('matches getOtlpTracesEndpoint of @sentry/node 11 for %s', (dsn) => {
    expect(sentryOtlpEndpoint(dsn)).toEqual(getOtlpTracesEndpoint(dsn));
  });

  it('gives the OTLP path and the X-Sentry-Auth header with the public key only', () => {
    expect(sentryOtlpEndpoint('https://abc:secret@o1.ingest.sentry.io/42')).toEqual({
      url: 'https://o1.ingest.sentry.io/api/42/integration/otlp/v1/traces/',
      headers: { 'X-Sentry-Auth': expect.stringMatching(/^Sentry sentry_version=\d+, sentry_key=abc$/) },
    });
  });

  it.each([
    ['https://secretkey@', 'secretkey'],
    ['https://publickey:secretpass@sentry.example.com', 'secretpass'],
  ])('rejects a bad DSN (%s) without printing its key', (dsn, key) => {
    const printed: unknown[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args) => {
        printed.push(...args);
      }),
    );
    let message = '';
    try {
      sentryOtlpEndpoint(dsn);
    } catch (error) {
      message = (error as Error).message;
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(message).toMatch(/dsn is not a valid Sentry DSN.*Client Keys/);
    expect(message).not.toContain(key);
    expect(printed).toEqual([]);
  });

  it('rejects a DSN that is not a string, naming its type', () => {
    expect(() => sentryOtlpEndpoint(42 as never)).toThrow(/got number/);
  });
});

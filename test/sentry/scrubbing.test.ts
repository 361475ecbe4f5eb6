// Secrets placed everywhere a module can put them; the assertion is on the bytes the fake Sentry received.
import type { Event } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/scrub/index.js';
import { ALLOWED_EVENT_FIELDS, createModuleLogger } from '../../src/sentry/index.js';
import { captureLogger } from '../support/logger.js';
import { ENV, leakedSecrets, reporterFor, SECRET, startSentry } from './support.js';

const sentence = (where: string) =>
  `${where}: login with ${SECRET.botToken} from ${SECRET.ipv4} / ${SECRET.ipv6}, guild ${SECRET.snowflake}, join https://${SECRET.invite}, cwd ${SECRET.home}/bot`;

function secretError(): Error {
  const cause = new TypeError(sentence('cause'));
  const error = new Error(sentence('message'), { cause });
  // Frames under the home directory, as a bot run from /home/alice would have.
  error.stack = `Error: ${error.message}\n    at checkUpdates (${SECRET.home}/bot/plugins/status/index.js:12:7)\n    at async Loop.run (${SECRET.home}/bot/node_modules/acme/loop.js:40:3)`;
  return error;
}

const PLACEHOLDERS = ['[BOT-TOKEN]', 'IP_V4', 'IP_V6', '[DISCORD-INVITE-LINK]', '[SHORTENED-ID-', '{HOME}'];

function fill(reporter: ReturnType<typeof reporterFor>['reporter']) {
  const host = captureLogger();
  const log = createModuleLogger(host, reporter);
  log.info(sentence('log line'), { note: sentence('log data'), [`by ${SECRET.snowflake}`]: true });
  log.error(sentence('log error'), new Error(sentence('logged error')));
  reporter.addBreadcrumb({
    category: 'gateway',
    message: sentence('breadcrumb'),
    data: { url: sentence('crumb data') },
  });
  return reporter.captureError(secretError(), {
    extra: {
      config: { token: SECRET.botToken, owner: SECRET.snowflake, nested: [{ deep: sentence('extra deep') }] },
      [`key ${SECRET.ipv4}`]: 'secret in a key',
      password: 'hunter2-not-a-rule-match',
    },
    tags: { guild: SECRET.snowflake, [`ip-${SECRET.ipv4}`]: 'x', shard: 3 },
    fingerprint: ['status', sentence('fingerprint')],
  });
}

describe('scrubbing on the wire', () => {
  it('at errors: no raw secret in any byte received, and the placeholders are where the secrets were', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors', {
      tags: { 'discord.js': '14.28.1', gateway: `wss://${SECRET.ipv4}/?token=${SECRET.botToken}` },
    });
    const result = fill(reporter);
    expect(result.status).toBe('queued');
    await reporter.close(2000);

    const bytes = sentry.received();
    expect(sentry.events()).toHaveLength(1);
    expect(leakedSecrets(bytes)).toEqual([]);
    expect(bytes).not.toContain('hunter2');
    for (const placeholder of PLACEHOLDERS) expect(bytes).toContain(placeholder);

    const [event] = sentry.events() as [Event];
    const [cause, main] = event.exception?.values ?? [];
    expect(main?.value).toContain('message: login with [BOT-TOKEN] from IP_V4');
    expect(cause?.value).toContain('cause: login with [BOT-TOKEN]');
    expect(main?.stacktrace?.frames?.map((frame) => frame.filename)).toEqual([
      '{HOME}/bot/node_modules/acme/loop.js',
      '{HOME}/bot/plugins/status/index.js',
    ]);
    expect(event.extra?.config).toMatchObject({
      token: '[Filtered]',
      owner: expect.stringMatching(/^\[SHORTENED-ID-\d{4}\]$/),
    });
    expect(event.extra).toHaveProperty(['key IP_V4'], 'secret in a key');
    expect(event.tags?.guild).toMatch(/^\[SHORTENED-ID-\d{4}\]$/);
    expect(event.tags?.gateway).toBe('wss://IP_V4/?token=[BOT-TOKEN]');
    expect(event.fingerprint?.[1]).toContain('[BOT-TOKEN]');
    expect(event.breadcrumbs?.map((b) => b.message?.split(':')[0])).toEqual(['log line', 'log error', 'breadcrumb']);
  });

  it('at manual: the pending report is already scrubbed, and sending it leaks nothing either', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const result = fill(reporter);
    if (result.status !== 'pending') throw new Error('expected a pending report');
    const preview = JSON.stringify(result.report);
    expect(leakedSecrets(preview)).toEqual([]);
    for (const placeholder of PLACEHOLDERS) expect(preview).toContain(placeholder);

    await reporter.sendPrepared(result.report.event);
    expect(leakedSecrets(sentry.received())).toEqual([]);
    expect(sentry.events()).toEqual([result.report.event]);
  });

  it('the module logger writes the raw line to the host logger (local), and only the scrubbed one is kept', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const host = captureLogger();
    const { lines } = host;
    createModuleLogger(host, reporter).warn(sentence('warned'));
    expect(lines).toEqual([{ level: 'warn', message: `[status] ${sentence('warned')}` }]);
    const result = reporter.captureError(new Error('x'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    expect(result.report.event.breadcrumbs).toEqual([
      {
        timestamp: expect.any(Number),
        category: 'log',
        level: 'warning',
        message: expect.stringContaining('[BOT-TOKEN]'),
      },
    ]);
    expect(leakedSecrets(JSON.stringify(result.report))).toEqual([]);
  });
});

describe('allow-list', () => {
  it('an event has only the allowed fields, our tags, user.id, and no machine data', async () => {
    const sentry = await startSentry();
    // A host name given to the scrubber (as COMPUTERNAME would be), so the check holds whatever this machine is called.
    const host = 'build-box-7731';
    const scrubber = createScrubber({ botToken: SECRET.botToken, env: { ...ENV, COMPUTERNAME: host } });
    const { reporter, userId, sessionId } = reporterFor(sentry.dsn, 'errors', { scrubber });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanId = 'b7ad6b7169203331';
    reporter.captureError(new Error(`allow-listed, thrown on ${host}`), {
      traceContext: { traceId, spanId },
      tags: { loop: 'check' },
    });
    await reporter.close(2000);
    const [event] = sentry.events() as [Event];
    for (const key of Object.keys(event)) expect(ALLOWED_EVENT_FIELDS).toContain(key);
    expect(event).not.toHaveProperty('server_name');
    expect(event).not.toHaveProperty('modules');
    expect(event).not.toHaveProperty('request');
    expect(event.user).toEqual({ id: userId });
    expect(event.contexts).toEqual({
      runtime: { name: 'node', version: process.version },
      os: { name: expect.any(String) },
      app: { app_name: 'status', app_version: '1.4.0' },
      trace: { trace_id: traceId, span_id: spanId },
    });
    expect(event.tags).toEqual({
      suite: 'acme-plugins',
      module: 'status',
      version: '1.4.0',
      commit: 'abc1234',
      consentry: '0.1.0',
      'discord.js': '14.28.1',
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      session: sessionId,
      loop: 'check',
    });
    expect(event.release).toBe('acme-plugins|status@1.4.0');
    expect(event.environment).toBe('production');
    expect(event.platform).toBe('node');
    expect(event.level).toBe('error');
    expect(event.exception?.values?.[0]?.mechanism).toMatchObject({ type: 'consentry', handled: true });
    expect(event.exception?.values?.[0]?.value).toBe('allow-listed, thrown on {COMPUTERNAME}');
    expect(sentry.received()).not.toContain(host);
  });

  it('a per-call tag cannot replace the module identity', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const result = reporter.captureError(new Error('x'), { tags: { module: 'someone-else', release: 'x' } });
    if (result.status !== 'pending') throw new Error('expected a pending report');
    expect(result.report.event.tags?.module).toBe('status');
    expect(result.report.event.tags?.release).toBe('x');
    expect(result.report.event.release).toBe('acme-plugins|status@1.4.0');
  });

  it('non-Error values are captured too, scrubbed', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const fromString = reporter.captureError(`rejected with ${SECRET.botToken}`);
    const fromObject = reporter.captureError({ code: 50001, detail: `guild ${SECRET.snowflake}` });
    const placeholders = { '[BOT-TOKEN]': fromString, '[SHORTENED-ID-': fromObject };
    for (const [placeholder, result] of Object.entries(placeholders)) {
      if (result.status !== 'pending') throw new Error('expected a pending report');
      const report = JSON.stringify(result.report);
      expect(leakedSecrets(report)).toEqual([]);
      // The value itself was captured (its secret is there, replaced), not a stand-in without it.
      expect(report).toContain(placeholder);
      expect(result.report.event.exception?.values?.length).toBe(1);
    }
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createModuleLogger } from '../../src/sentry/index.js';
import { captureLogger } from '../support/logger.js';
import { reporterFor, startSentry } from './support.js';

describe('createModuleLogger', () => {
  it('keeps the newest 25 entries as breadcrumbs of its module, sent with the next error', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors');
    const host = captureLogger();
    const { lines } = host;
    const log = createModuleLogger(host, reporter);
    for (let i = 0; i < 30; i++) log.debug(`step ${i}`, { i });
    log.error('it broke');
    reporter.captureError(new Error('after the logs'));
    await reporter.flush(2000);
    const [event] = sentry.events();
    const crumbs = event?.breadcrumbs ?? [];
    expect(crumbs).toHaveLength(25);
    expect(crumbs.at(0)).toMatchObject({ category: 'log', level: 'debug', message: 'step 6', data: { i: 6 } });
    expect(crumbs.at(-1)).toMatchObject({ category: 'log', level: 'error', message: 'it broke' });
    expect(lines).toHaveLength(31);
    expect(lines.at(-1)).toEqual({ level: 'error', message: '[status] it broke' });
  });

  it('passes data to a pino-like logger and survives one that throws', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'manual');
    const calls: unknown[][] = [];
    const pinoLike = {
      info: (...args: unknown[]) => calls.push(args),
      warn: () => {
        throw new Error('logger broken');
      },
    };
    const log = createModuleLogger(pinoLike, reporter);
    log.info('ready', { guilds: 3 });
    expect(() => log.warn('still fine')).not.toThrow();
    log.debug('no debug method: falls back to info');
    expect(calls).toEqual([['[status] ready', { guilds: 3 }], ['[status] no debug method: falls back to info']]);
    const result = reporter.captureError(new Error('x'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    expect(result.report.event.breadcrumbs?.map((b) => [b.level, b.message])).toEqual([
      ['info', 'ready'],
      ['warning', 'still fine'],
      ['debug', 'no debug method: falls back to info'],
    ]);
  });

  it('writes to the console by default, without the consentry prefix', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'off');
    const spy = vi.spyOn(console, 'info').mockImplementation(() => {});
    createModuleLogger(undefined, reporter).info('hello');
    expect(spy).toHaveBeenCalledWith('[status] hello');
    spy.mockRestore();
  });

  it('keeps no breadcrumbs at off (nothing could be sent)', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'off');
    const host = captureLogger();
    const { lines } = host;
    const log = createModuleLogger(host, reporter);
    log.info('while off');
    reporter.setLevel('manual');
    const result = reporter.captureError(new Error('x'));
    if (result.status !== 'pending') throw new Error('expected a pending report');
    expect(result.report.event.breadcrumbs).toBeUndefined();
    expect(lines).toEqual([{ level: 'info', message: '[status] while off' }]);
  });
});

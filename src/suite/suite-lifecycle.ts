import { showValue } from '../log/index.js';
import type { LiveSuite } from './live-suite.js';

/** `telemetry.flush()`: spans first (with envelope transport they leave through the modules' clients), then those. */
export async function flushSuite(live: LiveSuite, timeoutMs: number): Promise<boolean> {
  await live.tracing.current()?.forceFlush();
  const results = await Promise.all(
    [...live.modules.values()].map((module) => module.flush(timeoutMs).catch(() => false)),
  );
  await live.sent.flush();
  return results.every(Boolean);
}

/**
 * `telemetry.shutdown()`: spans first (flushed, then the pipeline stops), then the modules' clients flush and close,
 * then the records, the consent watcher and the store. Called as the bot stops: a part that fails to close is one
 * line, never a rejection that ends the bot.
 */
export async function shutdownSuite(live: LiveSuite, unsubscribe: () => void): Promise<void> {
  const { suite, logger, store } = live;
  unsubscribe();
  await live.tracing
    .current()
    ?.shutdown()
    .catch(() => {});
  await Promise.all([...live.modules.values()].map((module) => module.close().catch(() => {})));
  live.reports.close();
  const closing = (what: string) => (error: unknown) =>
    logger.warn(`consentry: ${suite}: ${what} did not close cleanly: ${showValue((error as Error)?.message ?? error)}`);
  await live.sent.flush().catch(closing('the record of what was sent'));
  await live.consent.close().catch(closing('the consent watcher'));
  await store.close().catch(closing(store.describe(suite)));
}

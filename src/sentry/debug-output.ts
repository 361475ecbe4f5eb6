import type { Envelope, Transport } from '@sentry/core';
import type { Delivery } from './transport.js';

/**
 * CONSENTRY_DEBUG: instead of sending, write each envelope (already scrubbed and allow-listed) to stderr as
 * one JSON line, `{"consentry":"would send","module":…,"envelope":{"header":…,"items":[{"header":…,"payload":…}]}}`.
 */
export function debugDelivery(module: string): Delivery {
  const transport: Transport = {
    send(envelope) {
      try {
        process.stderr.write(`${JSON.stringify({ consentry: 'would send', module, envelope: readable(envelope) })}\n`);
      } catch {
        // stderr closed or a value JSON cannot show: debug output must not break the bot either.
      }
      // "Accepted", so a report sent by hand in debug mode counts as handled.
      return Promise.resolve({ statusCode: 200 });
    },
    flush: () => Promise.resolve(true),
  };
  return { makeTransport: () => transport, abortInFlight: () => {} };
}

function readable([header, items]: Envelope) {
  return {
    header,
    items: (items as unknown as [unknown, unknown][]).map(([itemHeader, payload]) => ({
      header: itemHeader,
      payload: payload instanceof Uint8Array ? `<${payload.byteLength} bytes>` : payload,
    })),
  };
}

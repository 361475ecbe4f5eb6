import type { BaseTransportOptions, Event, Transport } from '@sentry/core';
import { linkedErrorsIntegration, SDK_VERSION } from '@sentry/core';
import { ServerRuntimeClient } from '@sentry/core/server';
import { allowListEventInPlace } from './allow-list.js';
import { stackParser } from './stack-parser.js';

/** The SDK an event names: Sentry's node SDK, whose transport and stack parser we use. */
export const SDK_NAME = 'sentry.javascript.node';

export interface IsolatedClientOptions {
  dsn: string;
  release: string;
  environment: string;
  makeTransport(options: BaseTransportOptions): Transport;
  /** Envelopes in flight at most (Sentry's transport buffer). */
  maxQueue: number;
}

export interface IsolatedClient {
  client: ServerRuntimeClient;
  /** Integrations and packages as they appear in `event.sdk` on the wire. */
  sdk: NonNullable<Event['sdk']>;
}

/**
 * A Sentry client that touches nothing global: no `Sentry.init`, no process handlers, no async-context
 * strategy, no module patching. Integrations are listed explicitly: only LinkedErrors (adds the `cause` chain,
 * a pure event hook). Never OnUncaughtException/OnUnhandledRejection (they change the host's crash
 * behaviour), Modules, ContextLines, Console, Http, NodeFetch, ProcessSession or FunctionToString (which
 * patches `Function.prototype.toString`). No `serverName`, so no host name; no client reports; no trace
 * propagation headers; static trace lifecycle (no span streaming: spans go through our own OTel pipeline).
 */
export function createIsolatedClient(options: IsolatedClientOptions): IsolatedClient {
  const integrations = [linkedErrorsIntegration()];
  const client = new ServerRuntimeClient({
    dsn: options.dsn,
    release: options.release,
    environment: options.environment,
    transport: options.makeTransport,
    transportOptions: { bufferSize: options.maxQueue },
    stackParser,
    integrations,
    platform: 'node',
    runtime: { name: 'node', version: process.version },
    tracePropagationTargets: [],
    sendClientReports: false,
    traceLifecycle: 'static',
    // Name and version only: the event carries the package list, so the envelope does not repeat it.
    _metadata: { sdk: { name: SDK_NAME, version: SDK_VERSION } },
    // Our events never go through Sentry's capture pipeline; if anything ever does, it is allow-listed too.
    beforeSend: (event) => {
      allowListEventInPlace(event);
      return event;
    },
  });
  // The last gate before the envelope is built, on the object that is sent.
  client.on('beforeSendEvent', (event) => allowListEventInPlace(event));
  client.init();
  return {
    client,
    sdk: {
      name: SDK_NAME,
      version: SDK_VERSION,
      integrations: integrations.map((integration) => integration.name),
      packages: [{ name: 'npm:@sentry/node', version: SDK_VERSION }],
    },
  };
}

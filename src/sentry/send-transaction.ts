import { createEventEnvelope, type Event } from '@sentry/core';
import { connect } from './live-client.js';
import { describeFailure, type ReporterState } from './reporter-state.js';

/** `ModuleReporter.sendTransaction`: a transaction built from the module's spans, only at `all`. */
export function sendTransaction(state: ReporterState, event: Event): boolean {
  if (state.closed || state.level !== 'all') return false;
  const { options } = state;
  try {
    const { client, context } = connect(state);
    event.release = state.release;
    event.environment = state.environment;
    event.user = { id: options.userId };
    event.tags = { session: options.sessionId };
    event.sdk = structuredClone(context.sdk);
    // Not client.sendEvent: its event pipeline (and our error allow-list hook) is for error events.
    void client.sendEnvelope(createEventEnvelope(event, client.getDsn(), client.getSdkMetadata()));
    return true;
  } catch (failure) {
    state.once.report(
      'transaction-failed',
      'warn',
      `consentry: ${state.label} could not send a transaction: ${describeFailure(failure)}`,
    );
    return false;
  }
}

// The spans the fake Sentry received, whichever transport carried them: OTLP spans as they are, and transaction
// envelopes turned back into the same shape (the root as a span, each entry of `spans` as its child).

/** @param {import('consentry/testing').FakeSentry} sentry */
export function receivedSpans(sentry) {
  const fromTransactions = sentry.transactions().flatMap((tx) => {
    const trace = tx.contexts?.trace ?? {};
    const root = {
      name: tx.transaction,
      spanId: trace.span_id,
      parentSpanId: trace.parent_span_id,
      attributes: trace.data ?? {},
      durationMs: (tx.timestamp - tx.start_timestamp) * 1000,
      status: trace.status ?? 'ok',
    };
    const children = (tx.spans ?? []).map((span) => ({
      name: span.description,
      spanId: span.span_id,
      parentSpanId: span.parent_span_id,
      attributes: span.data ?? {},
      durationMs: ((span.timestamp ?? span.start_timestamp) - span.start_timestamp) * 1000,
      status: span.status ?? 'ok',
    }));
    return [root, ...children];
  });
  const fromOtlp = sentry.spans().map((span) => ({
    name: span.name,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    attributes: span.attributes,
    durationMs: Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n) / 1000,
    status: span.status.code === 'unset' ? 'ok' : span.status.code,
  }));
  return [...fromOtlp, ...fromTransactions];
}

/** Which transport carried the spans: OTLP, transaction envelopes, both (auto switched mid-run), or none. */
export function spanTransportSeen(sentry) {
  const otlp = sentry.requests().filter((request) => request.endpoint === 'otlp-traces');
  const otlpAccepted = otlp.filter((request) => request.outcome === 'accepted').length;
  const transactions = sentry.transactions().length;
  const refused = otlp.find((request) => request.status === 404 || request.status === 405 || request.status === 415);
  if (transactions > 0) {
    const why = refused
      ? `: the OTLP route answered HTTP ${refused.status}, so spanTransport 'auto' switched (one log line)`
      : '';
    return `transaction envelopes (${transactions} transactions)${why}`;
  }
  if (otlpAccepted > 0) return `OTLP (${otlpAccepted} span batches to the OTLP traces route)`;
  return 'none';
}

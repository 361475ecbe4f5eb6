// CONSENTRY_DEBUG: instead of sending, each envelope and each span batch that would leave is written to stderr as one
// `{"consentry":"would send",…}` JSON line. The demo reads those lines on their way out (they still show on stderr),
// so its report and checks can say what would have been sent.
export function tapDebugOutput() {
  const lines = [];
  const write = process.stderr.write;
  process.stderr.write = function (chunk, ...rest) {
    const text = String(chunk);
    if (text.startsWith('{"consentry":"would send"')) {
      try {
        lines.push(JSON.parse(text));
      } catch {
        // Not one whole line: not ours to read.
      }
    }
    return write.call(this, chunk, ...rest);
  };
  const items = (type) =>
    lines.flatMap((line) =>
      (line.envelope?.items ?? []).filter((item) => item.header?.type === type).map((item) => item.payload),
    );
  return {
    /** Envelopes (events, sessions, check-ins) written instead of sent. */
    envelopes: () => lines.filter((line) => line.envelope).length,
    events: () => items('event'),
    sessions: () => items('session'),
    /** Spans written instead of exported, as DebugSpanExporter shows them (`attributes`, `parentSpanId`, …). */
    spans: () => lines.flatMap((line) => line.spans ?? []),
    restore() {
      process.stderr.write = write;
    },
  };
}

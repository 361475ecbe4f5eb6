/**
 * Trace ids of command traces, so that every span of such a trace is dropped, also spans that start after
 * the command span ended (a reply sent late, an HTTP request still running). Bounded: traces with open
 * spans, then recently finished traces, each kept up to `max` (oldest forgotten first).
 */
export class CommandTraces {
  private readonly open = new Map<string, number>();
  private readonly finished = new Set<string>();

  constructor(private readonly max: number) {}

  has(traceId: string): boolean {
    return this.open.has(traceId) || this.finished.has(traceId);
  }

  get size(): number {
    return this.open.size + this.finished.size;
  }

  /** A span of this command trace started. */
  started(traceId: string): void {
    this.open.set(traceId, (this.open.get(traceId) ?? 0) + 1);
    this.finished.delete(traceId);
    if (this.open.size > this.max) this.open.delete(this.open.keys().next().value as string);
  }

  /** A span of this command trace ended; once none is open the trace is kept as recently finished. */
  ended(traceId: string): void {
    const count = this.open.get(traceId);
    if (count === undefined) return;
    if (count > 1) {
      this.open.set(traceId, count - 1);
      return;
    }
    this.open.delete(traceId);
    this.markFinished(traceId);
  }

  /** Remember a command trace found only when a span ended (the attribute was set after start). */
  markFinished(traceId: string): void {
    if (this.open.has(traceId)) return;
    this.finished.delete(traceId);
    this.finished.add(traceId);
    if (this.finished.size > this.max) this.finished.delete(this.finished.values().next().value as string);
  }
}

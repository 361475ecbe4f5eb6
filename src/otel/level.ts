/** The consent levels, lowest first (the same strings as the consent module's; spans are sent only at `all`). */
export type TelemetryLevel = 'off' | 'manual' | 'errors' | 'all';

const LEVELS: readonly string[] = ['off', 'manual', 'errors', 'all'];

/**
 * Turns a level getter into the pipeline's gate: true only at `all`. A getter that throws or returns
 * something unknown closes the gate: a broken consent source must never send anything.
 */
export function allowsSpans(getLevel: () => TelemetryLevel): () => boolean {
  return () => {
    try {
      return getLevel() === 'all';
    } catch {
      return false;
    }
  };
}

export function isTelemetryLevel(value: unknown): value is TelemetryLevel {
  return typeof value === 'string' && LEVELS.includes(value);
}

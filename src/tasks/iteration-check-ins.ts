import type { Span } from '@opentelemetry/api';
import type { ModuleCheckIn } from '../sentry/index.js';
import type { ResolvedLoopOptions } from './loop-options.js';
import { traceContextOf } from './run.js';

/** The Sentry Crons check-in pair of one loop iteration. */
export interface IterationCheckIns {
  /** `in_progress`, linked to the iteration's span. */
  begin(span: Span): void;
  /** The outcome, paired with the `in_progress` one. */
  end(status: 'ok' | 'error', durationMillis: number): void;
}

/** The check-ins of one iteration, or undefined when the loop has no monitor. A failing send is ignored. */
export function iterationCheckIns(
  checkIn: ResolvedLoopOptions['checkIn'],
  send: ((checkIn: ModuleCheckIn) => string | undefined) | undefined,
): IterationCheckIns | undefined {
  if (!checkIn) return undefined;
  const sendSafely = (body: ModuleCheckIn): string | undefined => {
    try {
      return send ? send(body) : undefined;
    } catch {
      return undefined;
    }
  };
  let checkInId: string | undefined;
  let traceContext: ReturnType<typeof traceContextOf>;
  return {
    begin(span) {
      traceContext = traceContextOf(span);
      checkInId = sendSafely({
        monitorSlug: checkIn.monitorSlug,
        status: 'in_progress',
        monitorConfig: checkIn.monitorConfig,
        traceContext,
      });
    },
    end(status, durationMillis) {
      sendSafely({
        monitorSlug: checkIn.monitorSlug,
        status,
        checkInId,
        duration: durationMillis / 1000,
        traceContext,
      });
    },
  };
}

export { CODE_FACTS, type CodeFacts } from './code-facts.js';
export type { HandlerErrorContext, HandlerErrorHook, HandlerErrorHooks, HandlerKind } from './commands.js';
export { createTelemetry } from './create-telemetry.js';
export { internalsOf, type TelemetryInternals } from './internals.js';
export { type CaptureOutcome, ModuleRuntime, type TelemetryModule } from './module.js';
export type { ModuleOptions } from './module-options.js';
export type { TelemetryOptions } from './options.js';
export {
  keptReports,
  MAX_REPORTS,
  REPORT_TTL_MS,
  ReportNotFoundError,
  type ReportSummary,
  type Reports,
  reportsKey,
  summary as reportSummary,
} from './reports.js';
export type { SentLog } from './sent.js';
export type { Telemetry } from './telemetry.js';

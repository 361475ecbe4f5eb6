export { ModuleReporterOptionsError } from '../errors/index.js';
export { ALLOWED_EVENT_FIELDS, allowListEvent } from './allow-list.js';
export type { CaptureOptions } from './event.js';
export { createModuleLogger, type ModuleLogger } from './module-logger.js';
export type { ModuleReporterOptions, SentRequest } from './options.js';
export {
  clearOutbox,
  OUTBOX_MAX_FILES,
  OUTBOX_TTL_MS,
  type OutboxEntry,
  readOutbox,
  removeOutboxEntry,
  writeOutboxSync,
} from './outbox.js';
export { isOwnError } from './own-frames.js';
export { DEFAULT_ENVIRONMENT, moduleRelease } from './release.js';
export { type PendingReport, REPORT_CODE } from './report.js';
export {
  type CaptureResult,
  createModuleReporter,
  type ModuleBreadcrumb,
  type ModuleCheckIn,
  type ModuleReporter,
  type ReporterStats,
} from './reporter.js';
export { describeEnvelope } from './sent-entry.js';

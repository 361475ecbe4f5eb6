export type { Consent, ConsentLevel, ConsentSource, ConsentStatus, SetOptions } from './consent/index.js';
export { CONSENT_LEVELS } from './consent/index.js';
export {
  type ConfigErrorCode,
  ConsentryConfigError,
  MissingPackageError,
  ModuleReporterOptionsError,
  ProcessConfigError,
  ScrubberOptionsError,
} from './errors/index.js';
export type { HostLogger, LogLevel } from './log/index.js';
export { consoleLogger } from './log/index.js';
export type { BotTokenSource, Scrubber, ScrubberOptions, ScrubLimits } from './scrub/index.js';
export { createScrubber, DEFAULT_LIMITS as SCRUB_LIMITS } from './scrub/index.js';
export type { CaptureOptions, ModuleLogger, PendingReport } from './sentry/index.js';
export { isOwnError } from './sentry/index.js';
export type {
  FileStoreOptions,
  RedisStoreOptions,
  SentEntry,
  SentKind,
  Store,
  StoredDocument,
  StoreFileSystem,
} from './store/index.js';
export {
  fileStore,
  MAX_SENT_ENTRIES,
  memoryStore,
  redisStore,
  SENT_TTL_MS,
  StoreUnavailableError,
} from './store/index.js';
export type {
  CaptureOutcome,
  ModuleOptions,
  ReportSummary,
  Reports,
  SentLog,
  Telemetry,
  TelemetryModule,
  TelemetryOptions,
} from './suite/index.js';
export { createTelemetry, MAX_REPORTS, REPORT_TTL_MS, ReportNotFoundError } from './suite/index.js';
export type { Loop, LoopOptions, LoopStatus, MigrationRange } from './tasks/index.js';
export { CONSENTRY_VERSION } from './version.js';

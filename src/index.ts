export type { HostLogger, LogLevel } from './log/index.js';
export { consoleLogger } from './log/index.js';
export type { BotTokenSource, Scrubber, ScrubberOptions, ScrubLimits } from './scrub/index.js';
export { createScrubber, DEFAULT_LIMITS as SCRUB_LIMITS, ScrubberOptionsError } from './scrub/index.js';
export { CONSENTRY_VERSION } from './version.js';

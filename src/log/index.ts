export { describeError } from './describe-error.js';
export type { HostLogger, LogLevel } from './logger.js';
export { consoleLogger, onceLogger, toHostLogger } from './logger.js';
export { showValue } from './show-value.js';

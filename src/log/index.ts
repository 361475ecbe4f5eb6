export type { HostLogger, LogLevel } from './logger.js';
export { consoleLogger, onceLogger, toHostLogger } from './logger.js';

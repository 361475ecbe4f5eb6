export type { HostLogger, LogLevel } from './log/index.js';
export { consoleLogger } from './log/index.js';
export { CONSENTRY_VERSION } from './version.js';

export { describeError } from './describe-error.js';
export { lateBoundLogger } from './late-logger.js';
export type { HostLogger, LogLevel } from './logger.js';
export { consoleLogger, onceLogger, toHostLogger } from './logger.js';
export { showValue } from './show-value.js';
export type { OptionNames, UnknownOption } from './unknown-options.js';
export { closestName, editDistance, reportUnknownOptions, unknownOptions } from './unknown-options.js';

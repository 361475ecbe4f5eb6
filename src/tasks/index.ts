/**
 * Background work as traced, logged, error-captured runs: `mod.task()`, `mod.loop()`, `mod.migration()`.
 * (Being built for the performance-telemetry issue; the signatures below are the contract with the suite.)
 */
export type { TaskApi, TaskDeps } from './task-api.js';
export { createTaskApi } from './task-api.js';

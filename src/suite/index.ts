export { createTelemetry } from './create-telemetry.js';
export type { TelemetryOptions } from './options.js';
export type { Telemetry } from './telemetry.js';

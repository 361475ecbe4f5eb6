// Preload entry for process mode (`node --import consentry/instrumentation bot.js`).
// Built by the performance-telemetry issue; importing it today does nothing.
export {};

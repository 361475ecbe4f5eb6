/**
 * The registered symbols consentry shares across every copy of itself in one process (ESM and CommonJS builds, a
 * plugin's own copy, the preload). They are a contract between versions: a key, once shipped, never changes.
 */

/**
 * On `globalThis`: where process mode (`node --import consentry/instrumentation`) leaves what it set up, for
 * `createTelemetry()` (see `ProcessRegistry`).
 */
export const PROCESS_KEY = Symbol.for('consentry.process');

/** On `globalThis`: the AsyncLocalStorage meaning "a command or listener is running here". */
export const COMMAND_SCOPE_KEY = Symbol.for('consentry.commandScope');

/** On `globalThis`: the file-lock tokens this process holds (see store/file-lock.ts). */
export const HELD_LOCK_TOKENS_KEY = Symbol.for('consentry.store.heldLockTokens');

/** On a telemetry object: its internals, for the discord.js adapter and other consentry parts; not public API. */
export const INTERNALS_KEY = Symbol.for('consentry.internals');

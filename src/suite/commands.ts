import type { CaptureOutcome } from './module.js';

/** What a module gives the wrappers of its Discord handlers. */
export interface CommandDeps {
  module: string;
  captureError(error: unknown): CaptureOutcome;
}

/** The handler wrappers a module offers (`client.on('interactionCreate', mod.command(handler))`). */
export interface CommandApi {
  /** Wraps a command handler: its errors are captured through this module only, then handed on unchanged. */
  command<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R;
  /** Wraps an event listener the same way. */
  listener<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R;
}

export function createCommandApi(deps: CommandDeps): CommandApi {
  const wrap =
    <A extends unknown[], R>(handler: (...args: A) => R) =>
    (...args: A): R => {
      try {
        const result = handler(...args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            deps.captureError(error);
            throw error;
          }) as R;
        }
        return result;
      } catch (error) {
        deps.captureError(error);
        throw error;
      }
    };
  return { command: wrap, listener: wrap };
}

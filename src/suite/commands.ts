import type { Span } from '@opentelemetry/api';
import { COMMAND_KIND, CONSENTRY_KIND, runAsCommand, type Tracing } from '../otel/index.js';
import type { CaptureOptions } from '../sentry/index.js';
import { isPromiseLike } from '../values/index.js';
import type { CaptureOutcome } from './module.js';

/** Which wrapper saw the error: `mod.command()` or `mod.listener()`. */
export type HandlerKind = 'command' | 'listener';

/** What a presenter gets when a wrapped handler failed. */
export interface HandlerErrorContext {
  module: string;
  kind: HandlerKind;
  /** The arguments the handler was called with (for `interactionCreate`: the interaction). */
  args: readonly unknown[];
  error: unknown;
  /** What `captureError` did with it; `undefined` when it was not reported (an error on the user's side). */
  outcome: CaptureOutcome | undefined;
}

/**
 * How a chat adapter (the discord.js one) takes part in handler errors without the suite knowing its library.
 * Every method is optional and must not throw; a throw is ignored.
 */
export interface HandlerErrorHook {
  /** True for an error caused by the user or the platform (missing permissions, an expired interaction): not reported. */
  isUserSide?(error: unknown): boolean;
  /** Tags for the error's event (e.g. the discord.js version), from the handler's arguments. */
  tags?(args: readonly unknown[]): Record<string, string> | undefined;
  /** Tells whoever triggered the handler (a short ephemeral reply). Awaited, bounded, before the error is handed on. */
  present?(context: HandlerErrorContext): Promise<void> | void;
}

/** The suite's registry of hooks (one per attached client). */
export interface HandlerErrorHooks {
  /** Adds a hook; returns its removal. */
  add(hook: HandlerErrorHook): () => void;
  list(): readonly HandlerErrorHook[];
}

export function createHandlerErrorHooks(): HandlerErrorHooks {
  let hooks: HandlerErrorHook[] = [];
  return {
    add(hook) {
      hooks = [...hooks, hook];
      return () => {
        hooks = hooks.filter((candidate) => candidate !== hook);
      };
    },
    list: () => hooks,
  };
}

/** What a module gives the wrappers of its Discord handlers. */
export interface CommandDeps {
  module: string;
  version?: string | undefined;
  captureError(error: unknown, options?: CaptureOptions): CaptureOutcome;
  /** The suite's hooks; without them errors are captured and handed on, and nobody is told. */
  hooks?: HandlerErrorHooks | undefined;
  /** The module's span path: each run becomes a `consentry.kind = command` span, so its whole trace is dropped. */
  tracing?: Tracing | undefined;
}

/** The handler wrappers a module offers (`client.on('interactionCreate', mod.command(handler))`). */
export interface CommandApi {
  /**
   * Wraps a command handler: its errors are captured through this module only (errors on the user's side, such as
   * missing permissions, are not), the user gets a short ephemeral reply once an adapter is attached, and the error
   * is then handed on unchanged (rethrown, or the returned promise rejects) to the bot's own error handling.
   */
  command<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R;
  /** Wraps an event listener the same way. */
  listener<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R;
}

/** The longest a presenter may hold an error back from the bot's own error handling. */
export const PRESENT_TIMEOUT_MS = 5_000;

// Shared by every module: an error that passes through nested wrappers is captured and shown once.
const handledErrors = new WeakSet<object>();

function quietly<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export function createCommandApi(deps: CommandDeps): CommandApi {
  const tracer = deps.tracing?.tracer(`consentry/${deps.module}`, deps.version);

  const handleError = async (kind: HandlerKind, error: unknown, args: readonly unknown[]): Promise<void> => {
    const marked = typeof error === 'object' && error !== null ? error : undefined;
    if (marked) {
      if (handledErrors.has(marked)) return;
      handledErrors.add(marked);
    }
    try {
      await reportHandlerError(deps, kind, error, args);
    } finally {
      // Outer wrappers see the rethrown error within this turn; a later throw of the same object is a new error.
      if (marked) setImmediate(() => handledErrors.delete(marked)).unref();
    }
  };

  const wrap =
    (kind: HandlerKind) =>
    <A extends unknown[], R>(handler: (...args: A) => R): ((...args: A) => R) => {
      if (typeof handler !== 'function') {
        throw new TypeError(
          `consentry: ${deps.module}: mod.${kind}(handler): handler must be a function; got ${typeof handler}. ` +
            `Fix: client.on('interactionCreate', mod.${kind}(async (interaction) => { … })).`,
        );
      }
      return function wrapped(this: unknown, ...args: A): R {
        const run = (span: Span | undefined): R =>
          settleHandler(
            () => handler.apply(this, args),
            span,
            (error) => handleError(kind, error, args),
          );
        // Everything the handler starts (tasks, loop.runNow(), migrations, HTTP requests in process mode), in any
        // module of any suite, is part of the command: never recorded. The span marks the trace for host spans too.
        return runAsCommand(() =>
          tracer
            ? tracer.startActiveSpan(kind, { root: true, attributes: { [CONSENTRY_KIND]: COMMAND_KIND } }, run)
            : run(undefined),
        );
      };
    };

  return { command: wrap('command'), listener: wrap('listener') };
}

/** Captures the error (unless a hook says the user caused it) and lets the hooks present it, for a bounded time. */
async function reportHandlerError(
  deps: CommandDeps,
  kind: HandlerKind,
  error: unknown,
  args: readonly unknown[],
): Promise<void> {
  const hooks = deps.hooks?.list() ?? [];
  const userSide = hooks.some((hook) => quietly(() => hook.isUserSide?.(error)) === true);
  let outcome: CaptureOutcome | undefined;
  if (!userSide) {
    const tags: Record<string, string> = { handler: kind };
    for (const hook of hooks)
      Object.assign(
        tags,
        quietly(() => hook.tags?.(args)),
      );
    outcome = deps.captureError(error, { tags });
  }
  const presenting = hooks.map((hook) =>
    Promise.resolve()
      .then(() => hook.present?.({ module: deps.module, kind, args, error, outcome }))
      .catch(() => {}),
  );
  if (presenting.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, PRESENT_TIMEOUT_MS);
    timer.unref();
  });
  await Promise.race([Promise.all(presenting), timeout]);
  clearTimeout(timer);
}

/** Runs a handler and ends its span when it returns, throws or settles; an error is handled, then rethrown. */
function settleHandler<R>(call: () => R, span: Span | undefined, onError: (error: unknown) => Promise<void>): R {
  let result: R;
  try {
    result = call();
  } catch (error) {
    span?.end();
    void onError(error);
    throw error;
  }
  if (!isPromiseLike(result)) {
    span?.end();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      span?.end();
      return value;
    },
    async (error: unknown) => {
      span?.end();
      await onError(error);
      throw error;
    },
  ) as R;
}

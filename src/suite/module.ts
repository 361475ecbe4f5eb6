import type { Event } from '@sentry/core';
import type { ConsentLevel } from '../consent/index.js';
import { type HostLogger, type OptionNames, reportUnknownOptions, toHostLogger } from '../log/index.js';
import type { Tracing } from '../otel/index.js';
import {
  type CaptureOptions,
  type CaptureResult,
  createModuleLogger,
  createModuleReporter,
  type ModuleBreadcrumb,
  type ModuleLogger,
  type ModuleReporter,
  type ModuleReporterOptions,
  type PendingReport,
} from '../sentry/index.js';
import { createTaskApi, type SpanIdentity, type TaskApi } from '../tasks/index.js';
import { type CommandApi, createCommandApi, type HandlerErrorHooks } from './commands.js';

/** What `mod.captureError` did with an error. */
export type CaptureOutcome =
  /** Sent in the background (level `errors` or `all`). */
  | { status: 'queued'; eventId: string }
  /** Kept for the owner to send by hand (level `manual`): `telemetry.reports.send(code)`. */
  | { status: 'pending'; code: string }
  /** Held until the settings have been read, then handled as the level says. */
  | { status: 'deferred' }
  /** Not kept: level `off`, no DSN, shut down, or the error could not be read. */
  | { status: 'dropped'; reason: 'off' | 'no-dsn' | 'closed' | 'failed' };

/** One module of the suite. */
export interface TelemetryModule extends TaskApi, CommandApi {
  readonly name: string;
  readonly version: string;
  /** Writes to the bot's logger; the newest 25 lines are this module's breadcrumbs. */
  readonly logger: ModuleLogger;
  /** Captures an error of this module. Returns at once and never throws. */
  captureError(error: unknown, options?: CaptureOptions): CaptureOutcome;
}

/** What the suite shares with its modules. */
export interface ModuleContext {
  suite: string;
  /** `undefined` when the suite has no DSN: nothing can be sent, logging still works. */
  reporterOptions:
    | Omit<ModuleReporterOptions, 'module' | 'version' | 'commit' | 'root' | 'userId' | 'level'>
    | undefined;
  hostLogger: Partial<HostLogger> | undefined;
  keepReport(report: PendingReport): void;
  /** Where a chat adapter hooks into `mod.command()` / `mod.listener()` errors. */
  handlerHooks?: HandlerErrorHooks | undefined;
  /** createTelemetry's `strict`: wrong options throw instead of being logged. */
  strict?: boolean | undefined;
  /** The user and session of the suite's events now, for `user.id` / `session.id` on spans. */
  identity?: (() => SpanIdentity | undefined) | undefined;
}

const EARLY_LIMIT = 50;
const CAPTURE_OPTION_NAMES: OptionNames<CaptureOptions> = {
  extra: true,
  tags: true,
  fingerprint: true,
  traceContext: true,
  crashed: true,
};

/**
 * A module's runtime: its isolated reporter exists once the settings (and so the user id) are known, is replaced
 * when `forget()` gives a new user id, and follows every level change. Errors and log lines that come before the
 * settings are read wait (bounded) and are then handled as the level says.
 */
export class ModuleRuntime implements TelemetryModule {
  readonly logger: ModuleLogger;
  readonly task: TaskApi['task'];
  readonly span: TaskApi['span'];
  readonly loop: TaskApi['loop'];
  readonly migration: TaskApi['migration'];
  readonly command: CommandApi['command'];
  readonly listener: CommandApi['listener'];
  private reporter: ModuleReporter | undefined;
  private reporterUserId: string | undefined;
  private early: Array<(reporter: ModuleReporter) => void> = [];
  private closed = false;
  /** The reporter could not be built (logged once): errors are dropped like without a DSN. */
  private unusable = false;

  constructor(
    private readonly context: ModuleContext,
    readonly name: string,
    readonly version: string,
    private readonly extras: { commit?: string | undefined; root?: string | undefined },
    readonly tracing: Tracing | undefined,
  ) {
    this.logger = createModuleLogger(context.hostLogger, {
      module: name,
      addBreadcrumb: (breadcrumb) => this.addBreadcrumb(breadcrumb),
    });
    const captureError = (error: unknown, options?: CaptureOptions) => this.captureError(error, options);
    const tasks = createTaskApi({
      suite: context.suite,
      module: name,
      version,
      identity: context.identity,
      tracing,
      captureError,
      logger: this.logger,
      scrub: context.reporterOptions && ((text) => context.reporterOptions?.scrubber.string(text) ?? text),
      captureCheckIn: (checkIn) => this.reporter?.captureCheckIn(checkIn),
      strict: context.strict,
    });
    ({ task: this.task, span: this.span, loop: this.loop, migration: this.migration } = tasks);
    const commands = createCommandApi({ module: name, version, captureError, hooks: context.handlerHooks, tracing });
    this.command = commands.command;
    this.listener = commands.listener;
  }

  /** Applies the current consent: called when the settings are first known and after every change. */
  sync(level: ConsentLevel, userId: string | null): void {
    if (this.closed || this.unusable || !this.context.reporterOptions || userId === null) return;
    if (this.reporter && this.reporterUserId !== userId) {
      // forget(): nothing more leaves under the old identity, not even the end of its session.
      void this.reporter.discard();
      this.reporter = undefined;
    }
    if (!this.reporter) {
      // Called from consent's promise chain and subscriptions: a throw here would be a rejection nobody awaits.
      let reporter: ModuleReporter;
      try {
        reporter = createModuleReporter({
          ...this.context.reporterOptions,
          module: this.name,
          version: this.version,
          commit: this.extras.commit,
          root: this.extras.root,
          userId,
          level,
        });
      } catch (error) {
        this.unusable = true;
        this.early = [];
        toHostLogger(this.context.hostLogger).error(
          `consentry: ${this.context.suite}: module '${this.name}' cannot report errors: ${(error as Error)?.message ?? String(error)}`,
        );
        return;
      }
      this.reporter = reporter;
      this.reporterUserId = userId;
      const early = this.early;
      this.early = [];
      for (const replay of early) replay(this.reporter);
    } else {
      this.reporter.setLevel(level);
    }
  }

  captureError(error: unknown, options?: CaptureOptions): CaptureOutcome {
    // Never thrown (captureError never throws, even with strict): `{ extras }` would lose the data in silence.
    if (options !== undefined) {
      reportUnknownOptions(options, CAPTURE_OPTION_NAMES, 'mod.captureError(error, options)', { logger: this.logger });
    }
    if (this.closed) return { status: 'dropped', reason: 'closed' };
    if (!this.context.reporterOptions || this.unusable) return { status: 'dropped', reason: 'no-dsn' };
    if (!this.reporter) {
      if (this.early.length < EARLY_LIMIT)
        this.early.push((reporter) => this.handle(reporter.captureError(error, options)));
      return { status: 'deferred' };
    }
    return this.handle(this.reporter.captureError(error, options));
  }

  private handle(result: CaptureResult): CaptureOutcome {
    if (result.status === 'pending') {
      this.context.keepReport(result.report);
      return { status: 'pending', code: result.report.code };
    }
    return result;
  }

  private addBreadcrumb(breadcrumb: ModuleBreadcrumb): void {
    if (this.reporter) this.reporter.addBreadcrumb(breadcrumb);
    else if (!this.closed && this.early.length < EARLY_LIMIT)
      this.early.push((reporter) => reporter.addBreadcrumb(breadcrumb));
  }

  /** Sends a kept report's event as it is (the owner's send by hand). */
  sendPrepared(report: PendingReport): Promise<string | undefined> {
    return this.reporter ? this.reporter.sendPrepared(report.event) : Promise.resolve(undefined);
  }

  /** Sends a transaction built from this module's spans through its own client (level `all` only). */
  sendTransaction(event: Event): boolean {
    return this.reporter?.sendTransaction(event) ?? false;
  }

  /** Sends this module's queued error reports and sessions (spans belong to the suite's pipeline). True when all was delivered. */
  flush(timeoutMs: number): Promise<boolean> {
    return this.reporter ? this.reporter.flush(timeoutMs) : Promise.resolve(true);
  }

  /** Ends the session and closes the reporter; the suite's span pipeline is shut down by the suite. */
  async close(): Promise<void> {
    this.closed = true;
    this.early = [];
    await this.reporter?.close();
  }
}

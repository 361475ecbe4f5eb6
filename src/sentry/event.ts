import type { Client, Event, EventHint, Scope, StackParser } from '@sentry/core';
import { dateTimestampInSeconds, eventFromUnknownInput, isError, isPlainObject, uuid4 } from '@sentry/core';
import type { Scrubber } from '../scrub/index.js';
import { allowListEvent } from './allow-list.js';
import { markOwnFrames } from './own-frames.js';
import { systemContexts } from './system-info.js';

/** Per-call additions to a captured error. */
export interface CaptureOptions {
  /** Extra data (scrubbed, bounded). Never put message content or command arguments here. */
  extra?: Record<string, unknown> | undefined;
  /** Tags for this event only, added to the module's tags. */
  tags?: Record<string, string | number | boolean> | undefined;
  /** Sentry grouping fingerprint. */
  fingerprint?: string[] | undefined;
  /** Links the event to the OTel span it happened in (32 and 16 hex digits). */
  traceContext?: { traceId: string; spanId: string } | undefined;
  /** The error ends the process: the event is `fatal`, unhandled, and the session is marked crashed. */
  crashed?: boolean | undefined;
}

export interface EventBuilderContext {
  client: Client;
  scope: Scope;
  stackParser: StackParser;
  scrubber: Scrubber;
  /** Release and environment, already scrubbed (sessions use the very same strings). */
  release: string;
  environment: string;
  /** The module's name and version for the `app` context, already scrubbed. */
  app: { app_name: string; app_version: string };
  sdk: NonNullable<Event['sdk']>;
  /** The module's folder: its frames are marked `in_app`, all others not (see {@link markOwnFrames}). */
  root?: string | undefined;
}

const TAG_VALUE_MAX = 200;
const TAG_KEY_MAX = 32;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * Builds the event for an error exactly as it will be sent: from the error and this module's scope only
 * (never the host's global or isolation scope), then scrubbed as a whole, then allow-listed.
 * Sentry's `captureException` is not used: it would merge the host's scopes, run the host's event
 * processors, set the host's last event id and mark the error as captured, hiding it from the host's Sentry.
 */
export function buildErrorEvent(context: EventBuilderContext, error: unknown, options: CaptureOptions = {}): Event {
  const { client, scope, stackParser, scrubber } = context;
  const handled = options.crashed !== true;
  let hint: EventHint = { originalException: error, data: { mechanism: { type: 'consentry', handled } } };
  let event: Event;
  try {
    const thrownObject = scrubThrownObject(scrubber, error);
    if (thrownObject === undefined) {
      event = eventFromUnknownInput(client, stackParser, error, hint);
    } else {
      // Sentry would serialize the object itself (typed arrays as `{"0":66,…}`, secrets past its depth as
      // `[Object]` only by luck): it is given the scrubbed copy, and the copy is what is sent.
      const thrown = thrownObject.error ?? thrownObject.copy;
      hint = { ...hint, originalException: thrown };
      event = eventFromUnknownInput(client, stackParser, thrown, hint);
      event.extra = { ...event.extra, __serialized__: thrownObject.copy };
    }
    // Runs the client's own integrations (LinkedErrors: the `cause` chain), as Sentry's pipeline would.
    client.emit('preprocessEvent', event, hint);
  } catch {
    // A value whose properties throw when read (a hostile Proxy, a throwing `message` getter): report that it
    // happened, with a marker instead of its content.
    const substitute = new UnreadableThrownValue(error);
    hint = { ...hint, originalException: substitute };
    event = eventFromUnknownInput(client, stackParser, substitute, hint);
  }

  if (context.root !== undefined) markOwnFrames(event, context.root);

  const data = scope.getScopeData();
  const callTags = ownCallTags(options.tags);
  event.level = handled ? 'error' : 'fatal';
  event.platform = 'node';
  event.release = context.release;
  event.environment = context.environment;
  event.user = { ...data.user };
  event.tags = { ...callTags, ...data.tags }; // the module's own tags cannot be overridden per call
  if (options.extra !== undefined) event.extra = { ...event.extra, ...options.extra };
  if (data.breadcrumbs.length > 0) event.breadcrumbs = data.breadcrumbs;
  if (Array.isArray(options.fingerprint) && options.fingerprint.length > 0) {
    event.fingerprint = options.fingerprint.map(String);
  }
  event.contexts = { ...systemContexts(), app: context.app };
  const trace = options.traceContext;
  if (trace && TRACE_ID.test(trace.traceId) && SPAN_ID.test(trace.spanId)) {
    event.contexts.trace = { trace_id: trace.traceId, span_id: trace.spanId };
  }
  delete event.event_id;

  const ownTagKeys = new Set([...Object.keys(data.tags), ...Object.keys(callTags)]);
  const scrubbed = allowListEvent(scrubber.value(event) as Event, ownTagKeys);
  scrubbed.tags = boundTags(scrubbed.tags);
  scrubbed.event_id = uuid4();
  scrubbed.timestamp = dateTimestampInSeconds();
  scrubbed.sdk = structuredClone(context.sdk);
  return scrubbed;
}

function ownCallTags(tags: CaptureOptions['tags']): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof tags !== 'object' || tags === null) return out;
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key.slice(0, TAG_KEY_MAX)] = String(value);
    }
  }
  return out;
}

function boundTags(tags: Event['tags']): Record<string, string> | undefined {
  if (!tags) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) out[key] = String(value).slice(0, TAG_VALUE_MAX);
  return out;
}

/**
 * A thrown plain object (not an Error) as the scrubber copies it, and the Error held in one of its own properties
 * (which Sentry would report as the exception), read from the original before anything of Sentry's touches it.
 */
function scrubThrownObject(
  scrubber: Scrubber,
  thrown: unknown,
): { copy: unknown; error: Error | undefined } | undefined {
  if (isError(thrown) || !isPlainObject(thrown)) return undefined;
  let error: Error | undefined;
  for (const key of Object.keys(thrown)) {
    const value = thrown[key];
    if (isError(value)) {
      error = value as Error;
      break;
    }
  }
  return { copy: scrubber.value(thrown), error };
}

/** Stands in for a thrown value that cannot be read. */
class UnreadableThrownValue extends Error {
  override name = 'UnreadableThrownValue';
  constructor(thrown: unknown) {
    super(`[Unreadable] a thrown ${describeType(thrown)} whose properties could not be read`);
  }
}

function describeType(value: unknown): string {
  try {
    if (value instanceof Error) return 'Error';
  } catch {
    // instanceof can throw on a Proxy with a throwing getPrototypeOf trap.
  }
  return value === null ? 'null' : typeof value;
}

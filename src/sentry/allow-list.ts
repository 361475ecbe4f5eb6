import type { Breadcrumb, Event } from '@sentry/core';
import { isPlainObject } from '../values/index.js';

/** The only top-level fields an event may carry. No `server_name`, `modules`, `request`, `transaction`, … */
export const ALLOWED_EVENT_FIELDS: readonly string[] = [
  'event_id',
  'timestamp',
  'platform',
  'level',
  'logger',
  'release',
  'environment',
  'dist',
  'message',
  'exception',
  'breadcrumbs',
  'tags',
  'user',
  'contexts',
  'extra',
  'fingerprint',
  'sdk',
];

/** Contexts kept, and the keys kept in each: nothing about the machine (no device, host name, culture). */
const ALLOWED_CONTEXTS: Readonly<Record<string, readonly string[]>> = {
  trace: ['trace_id', 'span_id', 'parent_span_id'],
  runtime: ['name', 'version'],
  os: ['name'],
  app: ['app_name', 'app_version'],
};

const BREADCRUMB_FIELDS: readonly string[] = ['timestamp', 'type', 'category', 'level', 'message', 'data'];

/**
 * A copy of `event` with only the allowed fields. `ownTagKeys`, when given, are the only tag keys kept.
 * `user` keeps only `id`. Applied as the last step before an event leaves.
 */
export function allowListEvent(event: Event, ownTagKeys?: ReadonlySet<string>): Event {
  const source = event as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of ALLOWED_EVENT_FIELDS) {
    if (source[field] !== undefined) out[field] = source[field];
  }
  const user = pickUser(event.user);
  if (user) out.user = user;
  else delete out.user;
  const tags = pickTags(event.tags, ownTagKeys);
  if (tags) out.tags = tags;
  else delete out.tags;
  const contexts = pickContexts(event.contexts);
  if (contexts) out.contexts = contexts;
  else delete out.contexts;
  if (Array.isArray(event.breadcrumbs)) out.breadcrumbs = event.breadcrumbs.map(pickBreadcrumb);
  else delete out.breadcrumbs;
  if (!isPlainObject(out.extra)) delete out.extra;
  return out as Event;
}

/** The same, in place: for Sentry's `beforeSendEvent` hook, which hands over the object it will send. */
export function allowListEventInPlace(event: Event, ownTagKeys?: ReadonlySet<string>): void {
  const allowed = allowListEvent(event, ownTagKeys);
  const target = event as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, allowed);
}

function pickUser(user: Event['user']): { id: string } | undefined {
  const id = user?.id;
  return typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : undefined;
}

function pickTags(tags: Event['tags'], own: ReadonlySet<string> | undefined): Record<string, string> | undefined {
  if (!isPlainObject(tags)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (own && !own.has(key)) continue;
    if (value === undefined || value === null) continue;
    out[key] = typeof value === 'string' ? value : String(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pickContexts(contexts: Event['contexts']): Record<string, Record<string, unknown>> | undefined {
  if (!isPlainObject(contexts)) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, keys] of Object.entries(ALLOWED_CONTEXTS)) {
    const context = (contexts as Record<string, unknown>)[name];
    if (!isPlainObject(context)) continue;
    const kept: Record<string, unknown> = {};
    for (const key of keys) if (context[key] !== undefined) kept[key] = context[key];
    if (Object.keys(kept).length > 0) out[name] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pickBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(breadcrumb)) return out;
  for (const field of BREADCRUMB_FIELDS) {
    const value = breadcrumb[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

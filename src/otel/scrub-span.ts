import { type Attributes, createTraceState, type Link, type SpanContext, type SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { type RawResourceAttribute, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { Scrubber } from '../scrub/index.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/**
 * Returns a function that wraps a finished span in a read-only view where every string that could leave is
 * scrubbed: name, trace state, attribute keys and values, event names and attributes, status message, links (trace
 * state and attributes), instrumentation scope (name, version, schema URL) and resource (attributes, schema URL).
 * Ids, times, kind, flags and counts are kept. Resources and scopes are scrubbed
 * once each; the rest when the exporter first reads it (deferred off the span's end()).
 */
export function createSpanScrubber(scrubber: Scrubber): (span: ReadableSpan) => ReadableSpan {
  const attributes = (input: Attributes | undefined): Attributes => {
    if (input === undefined) return NO_ATTRIBUTES;
    for (const _ in input) return scrubber.value(input) as Attributes;
    return NO_ATTRIBUTES;
  };

  const status = (original: SpanStatus): SpanStatus =>
    original.message === undefined ? original : { code: original.code, message: scrubber.string(original.message) };

  const event = (original: TimedEvent): TimedEvent => ({
    time: original.time,
    name: scrubber.string(original.name),
    attributes: attributes(original.attributes),
    droppedAttributesCount: original.droppedAttributesCount ?? 0,
  });

  // A trace state is `key=value,…` from another vendor or a propagated header; an entry the scrubber changed so
  // much that it is no longer valid (a scrubbed key) is dropped by the parser rather than sent.
  const spanContext = (original: SpanContext): SpanContext => {
    const traceState = original.traceState;
    if (traceState === undefined) return original;
    return { ...original, traceState: createTraceState(scrubber.string(traceState.serialize())) };
  };

  const link = (original: Link): Link => ({
    context: spanContext(original.context),
    attributes: attributes(original.attributes),
    droppedAttributesCount: original.droppedAttributesCount ?? 0,
  });

  const parts: SpanParts = {
    attributes,
    ...sharedParts(scrubber, attributes),
    status,
    event,
    link,
    spanContext,
    string: (text) => scrubber.string(text),
  };
  return (span) => new ScrubbedSpan(span, parts);
}

/** Resources and instrumentation scopes are shared by many spans: each is scrubbed once. */
function sharedParts(scrubber: Scrubber, attributes: SpanParts['attributes']): Pick<SpanParts, 'resource' | 'scope'> {
  const resources = new WeakMap<Resource, Resource>();
  const scopes = new WeakMap<InstrumentationScope, InstrumentationScope>();

  const resource = (original: Resource): Resource => {
    let scrubbed = resources.get(original);
    if (scrubbed === undefined) {
      scrubbed = new ScrubbedResource(original, attributes, (text) => scrubber.string(text));
      resources.set(original, scrubbed);
    }
    return scrubbed;
  };

  const scope = (original: InstrumentationScope): InstrumentationScope => {
    let scrubbed = scopes.get(original);
    if (scrubbed === undefined) {
      scrubbed = {
        name: scrubber.string(original.name),
        ...(original.version === undefined ? {} : { version: scrubber.string(original.version) }),
        ...(original.schemaUrl === undefined ? {} : { schemaUrl: scrubber.string(original.schemaUrl) }),
      };
      scopes.set(original, scrubbed);
    }
    return scrubbed;
  };
  return { resource, scope };
}

interface SpanParts {
  attributes(input: Attributes | undefined): Attributes;
  resource(original: Resource): Resource;
  scope(original: InstrumentationScope): InstrumentationScope;
  status(original: SpanStatus): SpanStatus;
  event(original: TimedEvent): TimedEvent;
  link(original: Link): Link;
  spanContext(original: SpanContext): SpanContext;
  string(text: string): string;
}

/**
 * A scrubbed view of an ended span. Each field is scrubbed when first read (by the exporter, off the span's
 * `end()` path) and then kept: nothing can read the original strings through it. An ended span no longer changes.
 */
class ScrubbedSpan implements ReadableSpan {
  private _name: string | undefined;
  private _attributes: Attributes | undefined;
  private _status: SpanStatus | undefined;
  private _events: TimedEvent[] | undefined;
  private _links: Link[] | undefined;
  private _spanContext: SpanContext | undefined;

  constructor(
    private readonly span: ReadableSpan,
    private readonly parts: SpanParts,
  ) {}

  get name(): string {
    this._name ??= this.parts.string(this.span.name);
    return this._name;
  }
  get attributes(): Attributes {
    this._attributes ??= this.parts.attributes(this.span.attributes);
    return this._attributes;
  }
  get status(): SpanStatus {
    this._status ??= this.parts.status(this.span.status);
    return this._status;
  }
  get events(): TimedEvent[] {
    this._events ??= this.span.events.length === 0 ? [] : this.span.events.map(this.parts.event);
    return this._events;
  }
  get links(): Link[] {
    this._links ??= this.span.links.length === 0 ? [] : this.span.links.map(this.parts.link);
    return this._links;
  }
  get resource(): Resource {
    return this.parts.resource(this.span.resource);
  }
  get instrumentationScope(): InstrumentationScope {
    return this.parts.scope(this.span.instrumentationScope);
  }
  readonly spanContext = (): SpanContext => {
    this._spanContext ??= this.parts.spanContext(this.span.spanContext());
    return this._spanContext;
  };
  get kind() {
    return this.span.kind;
  }
  get parentSpanContext(): SpanContext | undefined {
    const parent = this.span.parentSpanContext;
    return parent === undefined ? undefined : this.parts.spanContext(parent);
  }
  get startTime() {
    return this.span.startTime;
  }
  get endTime() {
    return this.span.endTime;
  }
  get duration() {
    return this.span.duration;
  }
  get ended() {
    return this.span.ended;
  }
  get droppedAttributesCount() {
    return this.span.droppedAttributesCount;
  }
  get droppedEventsCount() {
    return this.span.droppedEventsCount;
  }
  get droppedLinksCount() {
    return this.span.droppedLinksCount;
  }
}

/**
 * A resource whose attributes are the scrubbed attributes of another. Computed once the original has
 * settled (resources from async detectors settle later; exporters wait through `waitForAsyncAttributes`).
 */
class ScrubbedResource implements Resource {
  private settled: Attributes | undefined;

  constructor(
    private readonly original: Resource,
    private readonly scrub: (attributes: Attributes) => Attributes,
    private readonly string: (text: string) => string,
  ) {}

  get asyncAttributesPending(): boolean {
    return this.original.asyncAttributesPending === true;
  }

  get attributes(): Attributes {
    if (this.settled !== undefined) return this.settled;
    const scrubbed = this.scrub(this.original.attributes);
    if (!this.asyncAttributesPending) this.settled = scrubbed;
    return scrubbed;
  }

  get schemaUrl(): string | undefined {
    const schemaUrl = this.original.schemaUrl;
    return schemaUrl === undefined ? undefined : this.string(schemaUrl);
  }

  async waitForAsyncAttributes(): Promise<void> {
    await this.original.waitForAsyncAttributes?.();
  }

  merge(other: Resource | null): Resource {
    const schemaUrl = this.schemaUrl;
    return resourceFromAttributes(this.attributes, schemaUrl === undefined ? {} : { schemaUrl }).merge(other);
  }

  getRawAttributes(): RawResourceAttribute[] {
    return Object.entries(this.attributes);
  }
}

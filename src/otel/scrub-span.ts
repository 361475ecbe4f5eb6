import type { Attributes, Link, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { type RawResourceAttribute, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { Scrubber } from '../scrub/index.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/**
 * Returns a function that copies a finished span with every string that could leave scrubbed: name,
 * attribute keys and values, event names and attributes, status message, link attributes, instrumentation
 * scope and resource. Ids, times, kind and counts are kept. Resources and scopes are scrubbed once each.
 */
export function createSpanScrubber(scrubber: Scrubber): (span: ReadableSpan) => ReadableSpan {
  const resources = new WeakMap<Resource, Resource>();
  const scopes = new WeakMap<InstrumentationScope, InstrumentationScope>();

  const attributes = (input: Attributes | undefined): Attributes => {
    if (input === undefined) return NO_ATTRIBUTES;
    for (const _ in input) return scrubber.value(input) as Attributes;
    return NO_ATTRIBUTES;
  };

  const resource = (original: Resource): Resource => {
    let scrubbed = resources.get(original);
    if (scrubbed === undefined) {
      scrubbed = new ScrubbedResource(original, attributes);
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
        ...(original.schemaUrl === undefined ? {} : { schemaUrl: original.schemaUrl }),
      };
      scopes.set(original, scrubbed);
    }
    return scrubbed;
  };

  const status = (original: SpanStatus): SpanStatus =>
    original.message === undefined ? original : { code: original.code, message: scrubber.string(original.message) };

  const event = (original: TimedEvent): TimedEvent => ({
    time: original.time,
    name: scrubber.string(original.name),
    attributes: attributes(original.attributes),
    droppedAttributesCount: original.droppedAttributesCount ?? 0,
  });

  const link = (original: Link): Link => ({
    context: original.context,
    attributes: attributes(original.attributes),
    droppedAttributesCount: original.droppedAttributesCount ?? 0,
  });

  return (span) => {
    const context = span.spanContext();
    return {
      name: scrubber.string(span.name),
      kind: span.kind,
      spanContext: () => context,
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      duration: span.duration,
      ended: span.ended,
      status: status(span.status),
      attributes: attributes(span.attributes),
      links: span.links.length === 0 ? [] : span.links.map(link),
      events: span.events.length === 0 ? [] : span.events.map(event),
      resource: resource(span.resource),
      instrumentationScope: scope(span.instrumentationScope),
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  };
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
    return this.original.schemaUrl;
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

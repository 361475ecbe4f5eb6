import type { Attributes } from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ConsentryConfigError } from '../errors/index.js';
import { showValue } from '../log/index.js';
import { CONSENTRY_VERSION } from '../version.js';

/** What the spans say about where they come from: nothing about the machine, user or process. */
export interface TracingResource {
  /** The suite (plugin author's collection): `service.name`. */
  suite: string;
  /** One module of it, when the pipeline serves a single module: `consentry.module`. */
  module?: string | undefined;
  /** The suite's or module's version: `service.version`. */
  version?: string | undefined;
  /** e.g. `production`: `deployment.environment.name`. */
  environment?: string | undefined;
}

/**
 * The resource of our spans, built from the given values only. No detectors run, so no host name, host id,
 * process owner, pid or command line is ever attached (the SDK defaults would add some of them).
 */
export function suiteResource(resource: TracingResource): Resource {
  if (typeof resource !== 'object' || resource === null) {
    throw new ConsentryConfigError(
      'resource',
      "resource must be an object such as { suite: 'acme-plugins', version: '1.2.0' }",
    );
  }
  const attributes: Attributes = {
    'service.name': text('resource.suite', resource.suite),
    'telemetry.sdk.name': 'consentry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': CONSENTRY_VERSION,
  };
  if (resource.module !== undefined) attributes['consentry.module'] = text('resource.module', resource.module);
  if (resource.version !== undefined) attributes['service.version'] = text('resource.version', resource.version);
  if (resource.environment !== undefined) {
    attributes['deployment.environment.name'] = text('resource.environment', resource.environment);
  }
  return resourceFromAttributes(attributes);
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConsentryConfigError(field, `${field} must be a non-empty string, got ${showValue(value)}`);
  }
  return value;
}

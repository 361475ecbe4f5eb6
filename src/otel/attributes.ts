import type { Attributes } from '@opentelemetry/api';

/** Span attribute saying what kind of work a span is. A trace with a `command` span in it is never sent. */
export const CONSENTRY_KIND = 'consentry.kind';
export const COMMAND_KIND = 'command';

export function isCommand(attributes: Attributes | undefined): boolean {
  return attributes !== undefined && attributes[CONSENTRY_KIND] === COMMAND_KIND;
}

// Sentry envelopes (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header line, then
// items, each a JSON header line and a payload. The payload is `length` bytes when the item header
// says so (then an optional newline), otherwise everything up to the next newline.
import type { EnvelopeHeader, EnvelopeItem, EnvelopeItemHeader } from './types.js';

const NEWLINE = 0x0a;
const BINARY_ITEM_TYPES = new Set(['attachment', 'replay_recording', 'profile_chunk_binary']);

export interface ParsedEnvelope {
  header: EnvelopeHeader;
  items: EnvelopeItem[];
}

export function parseEnvelope(body: Buffer): ParsedEnvelope {
  let pos = 0;
  const readLine = (): Buffer => {
    const end = body.indexOf(NEWLINE, pos);
    const line = body.subarray(pos, end === -1 ? body.length : end);
    pos = end === -1 ? body.length : end + 1;
    return line;
  };

  const header = parseJsonObject(readLine(), 'envelope header (line 1)') as EnvelopeHeader;
  const items: EnvelopeItem[] = [];
  while (pos < body.length) {
    const headerAt = pos;
    const line = readLine();
    if (line.length === 0) continue;
    const itemHeader = parseJsonObject(line, `item ${items.length + 1} header at byte ${headerAt}`);
    if (typeof itemHeader.type !== 'string') {
      throw new Error(`envelope: item ${items.length + 1} header at byte ${headerAt} has no "type"`);
    }
    let raw: Buffer;
    const length = itemHeader.length;
    if (length !== undefined && length !== null) {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        throw new Error(`envelope: item ${items.length + 1} has an invalid "length" ${JSON.stringify(length)}`);
      }
      if (pos + length > body.length) {
        throw new Error(
          `envelope: item ${items.length + 1} says length ${length} but only ${body.length - pos} bytes follow`,
        );
      }
      raw = body.subarray(pos, pos + length);
      pos += length;
      if (body[pos] === NEWLINE) pos += 1;
    } else {
      raw = readLine();
    }
    items.push(toItem(itemHeader as EnvelopeItemHeader, Buffer.from(raw)));
  }
  return { header, items };
}

/** The legacy store endpoint takes one event as JSON; it is kept as a one-item envelope. */
export function envelopeFromStoreBody(body: Buffer): ParsedEnvelope {
  const event = parseJsonObject(body, 'store body');
  const type = event.type === 'transaction' ? 'transaction' : 'event';
  const header: EnvelopeHeader = typeof event.event_id === 'string' ? { event_id: event.event_id } : {};
  return { header, items: [{ type, header: { type }, payload: event, raw: Buffer.from(body) }] };
}

function toItem(header: EnvelopeItemHeader, raw: Buffer): EnvelopeItem {
  let payload: unknown;
  if (!BINARY_ITEM_TYPES.has(header.type)) {
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      payload = undefined;
    }
  }
  return { type: header.type, header, payload, raw };
}

function parseJsonObject(bytes: Buffer, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`envelope: ${where} is not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`envelope: ${where} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

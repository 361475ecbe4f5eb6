import { randomBytes, randomUUID } from 'node:crypto';

export interface Identity {
  /** Permanent random id for this bot's install of the suite (release health users); not linkable to the bot. */
  userId: string;
  /** Local salt for keyed hashes (e.g. `ids: 'hash'`); never leaves the machine. */
  salt: string;
}

export function newIdentity(): Identity {
  return { userId: randomUUID(), salt: randomBytes(32).toString('hex') };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SALT = /^[0-9a-f]{64}$/i;

export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isValidSalt(value: unknown): value is string {
  return typeof value === 'string' && SALT.test(value);
}

import {
  CIRCULAR,
  type ScrubLimits,
  STRING_SCRUB_MARGIN,
  STRING_TRUNCATED_SUFFIX,
  TRUNCATED,
  truncatedItems,
  truncatedKeys,
  UNREADABLE,
} from './limits.js';
import { FILTERED, isSecretKey } from './rules/index.js';

const KEY_CACHE_LIMIT = 4096;
const CACHEABLE_KEY_LENGTH = 128;

interface KeyInfo {
  scrubbed: string;
  secret: boolean;
  /** Names invites (`invite`, `invites`, `guildInvite`): its object's `code` is an invite code. */
  invite: boolean;
}

// discord.js's Invite (and the API's invite object) keeps the code under `code`, a name too common to filter alone.
const INVITE_KEY = /invite/i;
const INVITE_CODE_KEY = 'code';

function describeKey(key: string, scrubbed: string): KeyInfo {
  return { scrubbed, secret: isSecretKey(key), invite: INVITE_KEY.test(key) };
}

/**
 * Copies a value while scrubbing it, in one pass. Never throws: unreadable parts become markers, and depth,
 * width, string length and the total number of values are bounded by `limits`.
 */
// Longer than a screen on purpose: the scrubber's hot path. The per-call budgets and the ancestor path live in this
// closure's locals, read by the nested visitors on every value; split functions would pass them through every call.
export function createWalker(limits: ScrubLimits) {
  // Keys repeat in every event: remember each one's scrubbed form and whether it names a secret.
  const keys = new Map<string, KeyInfo>();
  let keysScrubbedWith: ((s: string) => string) | undefined;

  return function walk(root: unknown, scrub: (s: string) => string): unknown {
    // The objects on the path from the root: at most maxDepth of them, so a scan beats hashing identities.
    const ancestors: object[] = [];
    // True while copying the entries of an object held under an invite-named key (or of the items of its array).
    let underInvite = false;
    let budget = limits.maxNodes;
    let characters = limits.maxTotalLength;
    if (keysScrubbedWith !== scrub) {
      keys.clear();
      keysScrubbedWith = scrub;
    }

    const keyInfo = (key: string): KeyInfo => {
      if (key.length > CACHEABLE_KEY_LENGTH) return describeKey(key, str(key));
      let info = keys.get(key);
      if (info === undefined) {
        // Short keys are remembered across calls, so they are scrubbed whole, outside this call's budget.
        info = describeKey(key, scrub(key));
        if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
        keys.set(key, info);
      }
      characters -= key.length;
      return info;
    };

    const str = (s: string): string => {
      const max = Math.min(limits.maxStringLength, characters);
      if (max <= 0) return TRUNCATED;
      if (s.length <= max) {
        characters -= s.length;
        return scrub(s);
      }
      characters -= max;
      const scrubbed = scrub(s.slice(0, max + STRING_SCRUB_MARGIN));
      return scrubbed.length <= max ? scrubbed : scrubbed.slice(0, max) + STRING_TRUNCATED_SUFFIX;
    };

    const visit = (value: unknown, depth: number): unknown => {
      if (--budget < 0) return TRUNCATED;
      switch (typeof value) {
        case 'string':
          return str(value);
        case 'number':
          // Beyond 2^53 a number can still carry a (rounded) Discord id.
          return value >= 1e16 && Number.isFinite(value) ? str(BigInt(Math.trunc(value)).toString()) : value;
        case 'boolean':
        case 'undefined':
          return value;
        case 'bigint':
          return str(value.toString());
        case 'symbol':
          return str(value.toString());
        case 'function':
          return str(`[Function: ${safeName(value)}]`);
      }
      if (value === null) return null;
      const object = value as object;
      for (let i = 0; i < depth; i++) if (ancestors[i] === object) return CIRCULAR;
      if (depth >= limits.maxDepth) return TRUNCATED;
      ancestors[depth] = object;
      try {
        return visitObject(object, depth + 1);
      } catch {
        return UNREADABLE;
      }
    };

    const visitList = (items: Iterable<unknown>, size: number, depth: number): unknown[] => {
      const out: unknown[] = [];
      const keep = Math.min(size, limits.maxArrayLength);
      let i = 0;
      for (const item of items) {
        if (i++ >= keep) break;
        out.push(visit(item, depth));
      }
      if (size > keep) out.push(truncatedItems(size - keep));
      return out;
    };

    const visitArray = (array: readonly unknown[], depth: number): unknown[] => {
      const size = array.length;
      const keep = Math.min(size, limits.maxArrayLength);
      const out = new Array<unknown>(keep);
      for (let i = 0; i < keep; i++) out[i] = readIndex(array, i, depth);
      if (size > keep) out.push(truncatedItems(size - keep));
      return out;
    };

    const readIndex = (array: readonly unknown[], i: number, depth: number): unknown => {
      let item: unknown;
      try {
        item = array[i];
      } catch {
        return UNREADABLE;
      }
      return visit(item, depth);
    };

    /** Copies one own property into `out`; returns whether its key was changed by scrubbing. */
    const copyEntry = (object: object, key: string, depth: number, out: Record<string, unknown>, renamed: boolean) => {
      let item: unknown;
      try {
        item = (object as Record<string, unknown>)[key];
      } catch {
        item = UNREADABLE;
      }
      const info = keyInfo(key);
      const named = info.secret || (underInvite && key === INVITE_CODE_KEY);
      const secret = named && item !== null && item !== undefined && typeof item !== 'boolean';
      const parentUnderInvite = underInvite;
      underInvite = info.invite;
      const value = secret ? FILTERED : item === UNREADABLE ? UNREADABLE : visit(item, depth);
      underInvite = parentUnderInvite;
      // Original keys are unique, so a copy can only collide once some key has been changed by scrubbing.
      if (info.scrubbed === key && !renamed && key !== '__proto__') {
        out[key] = value;
        return false;
      }
      assign(out, info.scrubbed, value);
      return true;
    };

    const visitEntries = (object: object, keys: readonly string[], depth: number, out: Record<string, unknown>) => {
      const keep = Math.min(keys.length, limits.maxKeys);
      let renamed = Object.keys(out).length > 0;
      for (let i = 0; i < keep; i++) renamed = copyEntry(object, keys[i] as string, depth, out, renamed) || renamed;
      if (keys.length > keep) assign(out, TRUNCATED, truncatedKeys(keys.length - keep));
      return out;
    };

    // Plain objects: for…in walks own enumerable keys without allocating a key array.
    const visitPlain = (object: Record<string, unknown>, depth: number) => {
      const out: Record<string, unknown> = {};
      let renamed = false;
      let count = 0;
      for (const key in object) {
        if (count++ < limits.maxKeys) renamed = copyEntry(object, key, depth, out, renamed) || renamed;
      }
      if (count > limits.maxKeys) assign(out, TRUNCATED, truncatedKeys(count - limits.maxKeys));
      return out;
    };

    const visitObject = (object: object, depth: number): unknown => {
      if (Array.isArray(object)) return visitArray(object, depth);
      const proto = Object.getPrototypeOf(object);
      if (proto === Object.prototype) return visitPlain(object as Record<string, unknown>, depth);
      if (proto === null) return visitEntries(object, Object.keys(object), depth, {});
      if (object instanceof Error) return visitError(object, depth);
      if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
      if (object instanceof Map) return visitList(mapEntries(object), object.size, depth);
      if (object instanceof Set) return visitList(object, object.size, depth);
      if (ArrayBuffer.isView(object)) return `[${object.constructor.name}: ${object.byteLength} bytes]`;
      if (object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
        return `[${object.constructor.name}: ${object.byteLength} bytes]`;
      }
      if (object instanceof RegExp || object instanceof URL) return str(String(object));
      if (object instanceof Promise || object instanceof WeakMap || object instanceof WeakSet) {
        return `[${object.constructor.name}]`;
      }
      return visitEntries(object, Object.keys(object), depth, {});
    };

    // A Map's string keys name their values as an object's keys do: a secret-named key's value is filtered.
    function* mapEntries(map: Map<unknown, unknown>): Generator<unknown> {
      for (const [key, item] of map) {
        const secret = typeof key === 'string' && keyInfo(key).secret && item !== null && item !== undefined;
        yield secret ? [key, typeof item === 'boolean' ? item : FILTERED] : [key, item];
      }
    }

    const visitError = (error: Error, depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const field of ['name', 'message', 'stack'] as const) {
        const text = readField(error, field);
        if (text !== undefined) out[field] = typeof text === 'string' ? str(text) : text;
      }
      const cause = readField(error, 'cause');
      if (cause !== undefined) out.cause = cause === UNREADABLE ? UNREADABLE : visit(cause, depth);
      const own = Object.keys(error).filter((key) => !(key in out));
      return visitEntries(error, own, depth, out);
    };

    return visit(root, 0);
  };
}

function readField(error: Error, field: 'name' | 'message' | 'stack' | 'cause'): unknown {
  try {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (value === undefined || field === 'cause') return value;
    return String(value);
  } catch {
    return UNREADABLE;
  }
}

function safeName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

function assign(out: Record<string, unknown>, key: string, value: unknown): void {
  let name = key;
  for (let n = 2; Object.hasOwn(out, name); n++) name = `${key} (${n})`;
  if (name === '__proto__')
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

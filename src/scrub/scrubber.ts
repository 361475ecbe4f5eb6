import { ScrubberOptionsError, UNKNOWN_OPTION_CODE } from '../errors/index.js';
import { type OptionNames, unknownOptions } from '../log/index.js';
import { hashId } from './hash-id.js';
import { resolveScrubberOptions, type ScrubberOptions } from './options.js';
import { shortenId } from './rules/index.js';
import { compileStringScrubber } from './string-scrubber.js';
import { createWalker } from './walk.js';

export interface Scrubber {
  /** The string with every rule applied. Idempotent: `string(string(s)) === string(s)`. */
  string(s: string): string;
  /** A scrubbed deep copy of any value. Never throws; cycles, depth and size are bounded (see ScrubLimits). */
  value<T = unknown>(v: T): unknown;
}

const SCRUBBER_OPTION_NAMES: OptionNames<ScrubberOptions> = {
  botToken: true,
  env: true,
  ids: true,
  salt: true,
  keepLoopback: true,
  limits: true,
};

export function createScrubber(options: ScrubberOptions = {}): Scrubber {
  // Like a wrong value (and an unknown limit), an unknown option throws: a scrubber that silently ignores a
  // misspelt `botToken` would let the token leave.
  const [unknown] = unknownOptions(options, SCRUBBER_OPTION_NAMES, 'createScrubber(options)');
  if (unknown) throw new ScrubberOptionsError(unknown.key, unknown.message, { code: UNKNOWN_OPTION_CODE });
  const resolved = resolveScrubberOptions(options);
  const formatId = resolved.ids === 'hash' ? hashId(resolved.salt as string) : shortenId;
  const walk = createWalker(resolved.limits);

  let compiledFor: readonly string[] | undefined;
  let compiled: (s: string) => string = (s) => s;
  const current = (): ((s: string) => string) => {
    const tokens = resolved.readTokens();
    if (tokens !== compiledFor && !sameTokens(tokens, compiledFor)) {
      compiled = compileStringScrubber({
        tokens,
        personal: resolved.personal,
        formatId,
        keepLoopback: resolved.keepLoopback,
      });
    }
    compiledFor = tokens;
    return compiled;
  };

  return {
    string(s) {
      if (typeof s !== 'string') return walk(s, current()) as string;
      return current()(s);
    },
    value(v) {
      return walk(v, current());
    },
  };
}

function sameTokens(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((token, i) => token === b[i]);
}

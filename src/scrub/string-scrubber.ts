import {
  botTokenRule,
  credentialRules,
  type IdFormatter,
  inviteRule,
  ipRules,
  type PersonalValues,
  personalRules,
  type Rule,
  snowflakeRule,
} from './rules/index.js';

export interface StringScrubberConfig {
  tokens: readonly string[];
  personal: PersonalValues;
  formatId: IdFormatter;
  keepLoopback: boolean;
}

// Events repeat the same strings (file names, function names, keys): remember recent results.
const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 256;

/**
 * Compiles the rules, in the documented order, into one function. Each rule runs only when its cheap check says
 * it may match, so a string no rule can touch costs a handful of scans and no allocation.
 */
export function compileStringScrubber(config: StringScrubberConfig): (s: string) => string {
  const rules: Rule[] = [];
  const token = botTokenRule(config.tokens);
  if (token) rules.push(token);
  rules.push(...credentialRules, inviteRule, ...ipRules(config.keepLoopback), snowflakeRule(config.formatId));
  rules.push(...personalRules(config.personal));

  const cache = new Map<string, string>();
  const run = (s: string): string => {
    let out = s;
    for (const rule of rules) {
      if (rule.mayMatch(out)) out = rule.apply(out);
    }
    return out;
  };
  return (s: string): string => {
    if (s.length > CACHEABLE_LENGTH) return run(s);
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const out = run(s);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(s, out);
    return out;
  };
}

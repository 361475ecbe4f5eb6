import {
  basicAuthRule,
  botTokenRule,
  credentialRules,
  type IdFormatter,
  inviteRule,
  ipRules,
  type PersonalValues,
  personalRules,
  type Rule,
  secretParamRule,
  snowflakeRule,
  urlPasswordRule,
} from './rules/index.js';

export interface StringScrubberConfig {
  tokens: readonly string[];
  personal: PersonalValues;
  formatId: IdFormatter;
  keepLoopback: boolean;
}

// Events repeat the same strings (file names, function names, keys): remember recent results.
const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 128;

/** Every rule, in the documented order: credentials first, so no later rule can split a token. */
export function compileRules(config: StringScrubberConfig): Rule[] {
  const token = botTokenRule(config.tokens);
  return [
    ...(token ? [token] : []),
    ...credentialRules,
    basicAuthRule,
    urlPasswordRule,
    secretParamRule,
    inviteRule,
    ...ipRules(config.keepLoopback),
    snowflakeRule(config.formatId),
    ...personalRules(config.personal),
  ];
}

/**
 * Compiles the rules into one function. One combined trigger expression, and one character class of the trigger characters,
 * decide whether any rule can match; only then does each rule test its own trigger and apply. Most strings cost one
 * scan and no allocation.
 */
export function compileStringScrubber(config: StringScrubberConfig): (s: string) => string {
  const rules = compileRules(config);
  const gate = new RegExp(rules.flatMap((rule) => (rule.trigger ? [rule.trigger] : [])).join('|'));
  const gateChars = charClass(rules.map((rule) => rule.chars ?? '').join(''));
  const triggers = rules.map((rule) => (rule.trigger ? new RegExp(rule.trigger) : undefined));
  const ruleChars = rules.map((rule) => charClass(rule.chars ?? ''));

  const applies = (i: number, s: string): boolean =>
    (triggers[i]?.test(s) ?? false) || (ruleChars[i]?.test(s) ?? false);
  const run = (s: string): string => {
    let out = s;
    for (let i = 0; i < rules.length; i++) {
      if (applies(i, out)) out = (rules[i] as Rule).apply(out);
    }
    return out;
  };
  const mayChange = (s: string): boolean => gate.test(s) || (gateChars?.test(s) ?? false);

  // Only strings that pass the gate are worth remembering: for the rest the gate is as cheap as a cache lookup.
  const cache = new Map<string, string>();
  return (s: string): string => {
    if (!mayChange(s)) return s;
    if (s.length > CACHEABLE_LENGTH) return run(s);
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const out = run(s);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(s, out);
    return out;
  };
}

/** One character class for a rule's trigger characters: a single scan, cheaper than an alternative per character. */
function charClass(chars: string): RegExp | undefined {
  const unique = [...new Set(chars)];
  return unique.length ? new RegExp(`[${unique.map((c) => `\\${c}`).join('')}]`) : undefined;
}

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
  secretFieldRule,
  secretParamRule,
  snowflakeRule,
  urlPasswordRule,
} from './rules/index.js';
import { triggerUnion } from './trigger-union.js';

export interface StringScrubberConfig {
  tokens: readonly string[];
  personal: PersonalValues;
  formatId: IdFormatter;
  keepLoopback: boolean;
}

// Events repeat the same strings (file names, function names, keys): remember recent results.
const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 128;
// Up to this length a string is tested against the triggers that fit in it (an id needs 17 digits).
const SHORT = 16;

/** Every rule, in the documented order: credentials first, so no later rule can split a token. */
export function compileRules(config: StringScrubberConfig): Rule[] {
  return compileFamilies(config).flat();
}

/**
 * The rules in the documented order, in families that are tested together (one combined trigger per family):
 * credentials, rare in ordinary text, so one test skips them all; links and addresses; ids, alone, because they are
 * in most strings a rule changes (every Discord log line has some) and a shared test would add the other rules' tests
 * to each; personal values.
 */
function compileFamilies(config: StringScrubberConfig): Rule[][] {
  const token = botTokenRule(config.tokens);
  return [
    [...(token ? [token] : []), ...credentialRules, basicAuthRule, urlPasswordRule, secretFieldRule, secretParamRule],
    [inviteRule, ...ipRules(config.keepLoopback)],
    [snowflakeRule(config.formatId)],
    personalRules(config.personal),
  ].filter((family) => family.length > 0);
}

/**
 * Compiles the rules into one function. One combined trigger expression, and one character class of the trigger characters,
 * decide whether any rule can match; only then are the rules tried, by family: a family whose combined trigger does
 * not match skips all its rules (none of them can apply, so none changes the text for the next). Most strings cost one
 * scan and no allocation; a string one rule touches costs a few scans, not one per rule.
 */
export function compileStringScrubber(config: StringScrubberConfig): (s: string) => string {
  const families = compileFamilies(config);
  const rules = families.flat();
  const gate = triggerOf(rules, 'gate');
  // Most strings are short (levels, names, categories): their gate leaves out the triggers they are too short for.
  const shortGate = triggerOf(
    rules.filter((rule) => (rule.minLength ?? 0) <= SHORT),
    'gate',
  );
  const gateChars = charClass(rules.map((rule) => rule.chars ?? '').join(''));
  const groups = families.map(groupOf);

  const runGroup = (group: Group, s: string): string => {
    if (!group.trigger.test(s) && !(group.chars?.test(s) ?? false)) return s;
    if (group.rule) return group.rule.apply(s);
    let out = s;
    for (const part of group.parts) out = runGroup(part, out);
    return out;
  };
  const run = (s: string): string => {
    let out = s;
    for (const group of groups) out = runGroup(group, out);
    return out;
  };
  const mayChange = (s: string): boolean =>
    (s.length <= SHORT ? shortGate : gate).test(s) || (gateChars?.test(s) ?? false);

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

interface Group {
  trigger: RegExp;
  chars: RegExp | undefined;
  rule?: Rule;
  parts: Group[];
}

/** One family's group: its rules are its parts, in order, so the order in which rules apply is kept. */
function groupOf(members: readonly Rule[]): Group {
  const parts = members.map((rule) => group([rule], []));
  return members.length === 1 ? (parts[0] as Group) : group(members, parts);
}

function group(rules: readonly Rule[], parts: Group[]): Group {
  const chars = charClass(rules.map((rule) => rule.chars ?? '').join(''));
  const single = rules.length === 1 ? rules[0] : undefined;
  return { trigger: triggerOf(rules), chars, ...(single ? { rule: single } : {}), parts };
}

/** One expression of the rules' triggers; one that never matches when none has a trigger. */
function triggerOf(rules: readonly Rule[], use: 'gate' | 'trigger' = 'trigger'): RegExp {
  const triggers = rules.flatMap((rule) => {
    const trigger = use === 'gate' ? (rule.gate ?? rule.trigger) : rule.trigger;
    return trigger ? [trigger] : [];
  });
  return triggers.length ? new RegExp(triggerUnion(triggers)) : /(?!)/;
}

/** One character class for a rule's trigger characters: a single scan, cheaper than an alternative per character. */
function charClass(chars: string): RegExp | undefined {
  const unique = [...new Set(chars)];
  return unique.length ? new RegExp(`[${unique.map((c) => `\\${c}`).join('')}]`) : undefined;
}

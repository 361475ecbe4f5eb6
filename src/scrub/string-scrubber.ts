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
    secretFieldRule,
    inviteRule,
    ...ipRules(config.keepLoopback),
    snowflakeRule(config.formatId),
    ...personalRules(config.personal),
  ];
}

/**
 * Compiles the rules into one function. One combined trigger expression, and one character class of the trigger characters,
 * decide whether any rule can match; only then are the rules tried, in groups: a group whose combined trigger does not
 * match skips all its rules (none of them can apply, so none changes the text for the next). Most strings cost one
 * scan and no allocation; a string one rule touches costs a few scans, not one per rule.
 */
export function compileStringScrubber(config: StringScrubberConfig): (s: string) => string {
  const rules = compileRules(config);
  const gate = triggerOf(rules);
  const gateChars = charClass(rules.map((rule) => rule.chars ?? '').join(''));
  const groups = groupsOf(rules);

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

interface Group {
  trigger: RegExp;
  chars: RegExp | undefined;
  rule?: Rule;
  parts: Group[];
}

// Rules per group: a string that one rule touches tests the groups' triggers, then the rules of one group.
const GROUP_SIZE = 4;

/** Consecutive rules in groups, so the order in which rules apply is kept. */
function groupsOf(rules: readonly Rule[]): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < rules.length; i += GROUP_SIZE) {
    const members = rules.slice(i, i + GROUP_SIZE);
    const parts = members.map((rule) => group([rule], []));
    groups.push(members.length === 1 ? (parts[0] as Group) : group(members, parts));
  }
  return groups;
}

function group(rules: readonly Rule[], parts: Group[]): Group {
  const chars = charClass(rules.map((rule) => rule.chars ?? '').join(''));
  const single = rules.length === 1 ? rules[0] : undefined;
  return { trigger: triggerOf(rules), chars, ...(single ? { rule: single } : {}), parts };
}

/** One expression of the rules' triggers; one that never matches when none has a trigger. */
function triggerOf(rules: readonly Rule[]): RegExp {
  const triggers = rules.flatMap((rule) => (rule.trigger ? [rule.trigger] : []));
  return triggers.length ? new RegExp(triggers.join('|')) : /(?!)/;
}

/** One character class for a rule's trigger characters: a single scan, cheaper than an alternative per character. */
function charClass(chars: string): RegExp | undefined {
  const unique = [...new Set(chars)];
  return unique.length ? new RegExp(`[${unique.map((c) => `\\${c}`).join('')}]`) : undefined;
}

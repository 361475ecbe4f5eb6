import { caseless, escapeRegExp, type Rule } from './rule.js';
import { AFTER_ESCAPE, LATE_TOKEN, PCT, plainOrEncoded } from './separators.js';

/** The personal values the scrubber looks for, as read from the environment (or given explicitly). */
export interface PersonalValues {
  /** The bot's working directory: its paths name a server or a person as often as HOME does (`/srv/alice-bot`). */
  CWD?: string | undefined;
  HOME?: string | undefined;
  USERPROFILE?: string | undefined;
  USERNAME?: string | undefined;
  /** The machine's host name(s): COMPUTERNAME, HOSTNAME and `os.hostname()` may each differ. */
  COMPUTERNAME?: string | readonly string[] | undefined;
}

// Names so common that replacing them would mangle ordinary text ("chroot", "node_modules").
const TRIVIAL_NAMES = new Set([
  'root',
  'admin',
  'administrator',
  'user',
  'users',
  'node',
  'app',
  'nobody',
  'daemon',
  'runner',
  'container',
  'default',
  'guest',
  'localhost',
  'home',
  // Role words a server's name is often made of (bot.example.com, web.internal): as a short form they would
  // replace the word everywhere ("the bot crashed"), and they say nothing about whose machine it is.
  'bot',
  'server',
  'srv',
  'web',
  'www',
  'api',
  'worker',
  'db',
  'vps',
  'prod',
  'staging',
  'dev',
  'test',
  'host',
  'ubuntu',
  'debian',
  // The names of our own replacement tokens: replacing them would make scrubbing not idempotent.
  'userprofile',
  'username',
  'computername',
  'cwd',
]);

// A path separator in plain, JSON-escaped or percent-encoded text.
const SEPARATOR = String.raw`(?:\\+|\/|${PCT}(?:5[Cc]|2[Ff])|\\+(?:u00|x)(?:2[Ff]|5[Cc]))`;
const COLON = String.raw`(?::|${PCT}3[Aa]|\\+(?:u00|x)3[Aa])`;
// Path values end where a path segment ends: not followed by more of the same name (/home/alice2).
const PATH_END = String.raw`(?![A-Za-z0-9_.\-])`;
// A token a later rule wrote ({COMPUTERNAME}) counts as a word, as the text it replaced did.
const wordStart = (encoded: boolean) =>
  `(?:(?<![A-Za-z0-9_\\-]|[A-Za-z0-9_]\\.|${LATE_TOKEN}\\.)${encoded ? `|${AFTER_ESCAPE}` : ''})`;
const WORD_END = `(?![A-Za-z0-9_\\-]|\\.[A-Za-z0-9_]|\\.${LATE_TOKEN})`;
// A host name may be followed by its domain (alices-laptop.local, alices-laptop.fritz.box): only a longer name stops it.
const HOST_END = String.raw`(?![A-Za-z0-9_\-])`;

function pathPattern(value: string): string {
  return value
    .split(/[\\/]+/)
    .map((segment) =>
      segment
        .split(':')
        .map((part) => literal(part, false))
        .join(COLON),
    )
    .join(SEPARATOR);
}

// Characters a URL writes as they are; any other is percent-encoded as its UTF-8 bytes.
const URL_SAFE = /^[A-Za-z0-9._~-]$/;
const hexDigit = (digit: string) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit);

/**
 * A value as text may hold it: a character that a URL percent-encodes may also be written as its bytes, at any
 * depth (ESM stack frames are file:// URLs: `file:///C:/Users/Alice%20Smith`, `/home/j%C3%B6rg`), a space also as
 * '+'. Case-insensitive letters when `caseInsensitive` (a trigger; the patterns of such values carry the 'i' flag).
 */
function literal(value: string, caseInsensitive: boolean): string {
  let out = '';
  for (const char of value) {
    const plain = caseInsensitive ? caseless(char) : escapeRegExp(char);
    if (URL_SAFE.test(char)) {
      out += plain;
      continue;
    }
    const bytes = [...new TextEncoder().encode(char)]
      .map((byte) => `${PCT}${[...byte.toString(16).padStart(2, '0')].map(hexDigit).join('')}`)
      .join('');
    out += `(?:${plain}|${bytes}${char === ' ' ? '|\\+' : ''})`;
  }
  return out;
}

function isTrivialPath(value: string): boolean {
  return value.replace(/[\\/:.]+/g, '').length < 2;
}

function isTrivialName(value: string): boolean {
  return value.length < 3 || TRIVIAL_NAMES.has(value.toLowerCase());
}

function replacer(pattern: RegExp, token: string, needle: string, caseInsensitive: boolean): Rule {
  return {
    name: token,
    trigger: literal(needle, caseInsensitive),
    apply: (s) => s.replace(pattern, token),
  };
}

/**
 * Working directory, home directory, user profile, user name and host name → {CWD} {HOME} {USERPROFILE} {USERNAME}
 * {COMPUTERNAME},
 * as whole path segments or whole words. Trivial values (`/`, `root`, names under three letters) are skipped.
 */
export function personalRules(values: PersonalValues): Rule[] {
  const rules: Rule[] = [];
  const { CWD, HOME, USERPROFILE, USERNAME, COMPUTERNAME } = values;
  // The working directory first: it is usually inside HOME, and the longer path says more.
  if (CWD && !isTrivialPath(CWD) && CWD.replace(/[\\/]+$/, '') !== HOME?.replace(/[\\/]+$/, '')) {
    const cwd = CWD.replace(/[\\/]+$/, '');
    rules.push(replacer(new RegExp(`${pathPattern(cwd)}${PATH_END}`, 'g'), '{CWD}', lastSegment(cwd), false));
  }
  if (HOME && !isTrivialPath(HOME)) {
    const home = HOME.replace(/[\\/]+$/, '');
    rules.push(replacer(new RegExp(`${pathPattern(home)}${PATH_END}`, 'g'), '{HOME}', lastSegment(home), false));
  }
  if (USERPROFILE && !isTrivialPath(USERPROFILE)) {
    const profile = USERPROFILE.replace(/[\\/]+$/, '');
    const pattern = new RegExp(`${pathPattern(profile)}${PATH_END}`, 'gi');
    rules.push(replacer(pattern, '{USERPROFILE}', lastSegment(profile), true));
  }
  if (USERNAME && !isTrivialName(USERNAME)) {
    const pattern = plainOrEncoded(
      (encoded) => `${firstLetter(USERNAME)}${wordStart(encoded)}${literal(USERNAME, false)}${WORD_END}`,
      'gi',
    );
    const trigger = literal(USERNAME, true);
    rules.push({ name: '{USERNAME}', trigger, apply: (s) => s.replace(pattern(s), '{USERNAME}') });
  }
  const hosts = hostNames(COMPUTERNAME);
  if (hosts.length > 0) {
    const first = hosts.map(firstLetter).join('|');
    const names = hosts.map(escapeRegExp).join('|');
    const pattern = plainOrEncoded((encoded) => `(?:${first})${wordStart(encoded)}(?:${names})${HOST_END}`, 'gi');
    rules.push({
      name: '{COMPUTERNAME}',
      trigger: hosts.map(caseless).join('|'),
      apply: (s) => s.replace(pattern(s), '{COMPUTERNAME}'),
    });
  }
  return rules;
}

function lastSegment(path: string): string {
  const segments = path.split(/[\\/:]+/).filter(Boolean);
  return segments[segments.length - 1] ?? path;
}

/** Each host name, and the short form of a dotted one (Alices-MacBook-Pro of Alices-MacBook-Pro.local); longest first. */
function hostNames(value: string | readonly string[] | undefined): string[] {
  const names = new Map<string, string>();
  for (const name of typeof value === 'string' ? [value] : (value ?? [])) {
    for (const form of [name, name.split('.')[0] ?? '']) {
      if (form && !isTrivialName(form)) names.set(form.toLowerCase(), form);
    }
  }
  return [...names.values()].sort((a, b) => b.length - a.length);
}

/** A lookahead on the first character, so the engine skips most positions before the costlier lookbehind. */
function firstLetter(value: string): string {
  const first = value.slice(0, 1);
  return URL_SAFE.test(first) ? `(?=${escapeRegExp(first)})` : `(?=${escapeRegExp(first)}|%)`;
}

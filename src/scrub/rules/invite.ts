import { caseless, type Rule } from './rule.js';

export const INVITE = '[DISCORD-INVITE-LINK]';

// A slash as it appears in text, in JSON-escaped text (\/ or \\\/) and in percent-encoded text (%2F).
const SLASH = String.raw`(?:\\*\/|%2[Ff])`;
const HOSTS = [
  String.raw`(?:(?:www|canary|ptb)\.)?discord\.gg`,
  String.raw`(?:(?:www|canary|ptb)\.)?discord(?:app)?\.com${SLASH}invite`,
  String.raw`(?:www\.)?(?:dsc\.gg|invite\.gg|discord\.io|discord\.me|discord\.li|discord\.link)`,
];
// Starts at a host boundary (not inside another domain like mydiscord.gg), also right after an encoded slash.
const START = String.raw`(?:(?<=%2[Ff])|(?<![A-Za-z0-9_.\-]))`;
const CODE = '[A-Za-z0-9-]+';
const PATTERN = new RegExp(`${START}(?:${HOSTS.join('|')})${SLASH}${CODE}`, 'gi');

/** Discord invite links, with or without scheme, JSON-escaped or percent-encoded; the code stops at ?, ", & … */
export const inviteRule: Rule = {
  name: 'invite',
  trigger: ['discord', 'dsc.gg', 'invite.gg'].map(caseless).join('|'),
  apply: (s) => s.replace(PATTERN, INVITE),
};

import { caseless, type Rule } from './rule.js';
import { boundaryAfter, DOT, IP_TOKEN, plainOrEncoded, SLASH } from './separators.js';

export const INVITE = '[DISCORD-INVITE-LINK]';

// The forms discord.js resolves (Invite.InvitesPattern: discord.gg/<code>, discord.gg/invite/<code>,
// discord(app).com/invite/<code>), with www/canary/ptb, and the common third-party shorteners. Dots and slashes
// may be plain, JSON-escaped or percent-encoded.
const SUBDOMAIN = `(?:(?:www|canary|ptb)${DOT})?`;
const HOSTS = [
  `${SUBDOMAIN}discord${DOT}gg(?:${SLASH}invite(?=${SLASH}))?`,
  `${SUBDOMAIN}discord(?:app)?${DOT}com${SLASH}invite`,
  `(?:www${DOT})?(?:dsc${DOT}gg|invite${DOT}gg|discord${DOT}(?:io|me|li|link))`,
];
// Starts at a host boundary (not inside another domain like mydiscord.gg), also right after an encoded separator; a
// subdomain before it (m.discord.com, x.discord.gg) is still Discord's own host, as discord.js reads it.

// discord.js accepts [\w-] in a code; it ends at ?, ", &, /, %, \ and so the rest of a URL or JSON string survives.
// Not the IP_V6 an address rule wrote (discord.gg/::1 was no invite when first read: scrubbing again changes nothing).
const CODE = `(?!${IP_TOKEN})[A-Za-z0-9_-]+`;
// The lookahead on the first letter lets the engine skip most positions before the lookbehind.
const pattern = plainOrEncoded(
  (encoded) => `(?=[dwcpi])${boundaryAfter('A-Za-z0-9_\\-', encoded)}(?:${HOSTS.join('|')})${SLASH}${CODE}`,
  'gi',
);

/** Discord invite links, with or without scheme, JSON-escaped or percent-encoded; the code stops at ?, ", & … */
export const inviteRule: Rule = {
  name: 'invite',
  trigger: ['discord', 'dsc', 'invite'].map(caseless).join('|'),
  apply: (s) => s.replace(pattern(s), INVITE),
};

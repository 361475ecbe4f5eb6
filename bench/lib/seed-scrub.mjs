// A faithful JavaScript port of the seed's scrubbing algorithm (the baseline): for every string, in this order,
// replace the bot token, then four regex passes (snowflakes, IPv4, IPv6, invites), then a plain replace of each
// personal value. Dicts and lists are rebuilt recursively, keys included, exactly as the seed does.

const SNOWFLAKE = /\b\d{17,20}\b/g;
const IP_V4 = /(\b25[0-5]|\b2[0-4][0-9]|\b[01]?[0-9][0-9]?)(\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)){3}/g;
const IP_V6 = new RegExp(
  [
    '([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}',
    '([0-9a-fA-F]{1,4}:){1,7}:',
    '([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}',
    '([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}',
    '([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}',
    '([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}',
    '([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}',
    '[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})',
    ':((:[0-9a-fA-F]{1,4}){1,7}|:)',
    'fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}',
    '::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])',
    '([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])',
  ].join('|'),
  'g',
);
// Red-DiscordBot's INVITE_URL_RE (case-insensitive).
const INVITE = /(discord\.(?:gg|io|me|li)|discord(?:app)?\.com\/invite)\/(\S+)/gi;

export function createSeedScrubber(token, env) {
  const personal = Object.entries(env).filter(([, value]) => value);
  const scrubString = (s) => {
    let out = s.replaceAll(token, '[BOT-TOKEN]');
    out = out.replace(SNOWFLAKE, (m) => `[SHORTENED-ID-${String(BigInt(m) >> 22n).slice(-4)}]`);
    out = out.replace(IP_V4, 'IP_V4');
    out = out.replace(IP_V6, 'IP_V6');
    out = out.replace(INVITE, '[DISCORD-INVITE-LINK]');
    for (const [name, value] of personal) out = out.replaceAll(value, `{${name}}`);
    return out;
  };
  const walk = (value) => {
    if (typeof value === 'string') return scrubString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out = {};
      for (const [key, item] of Object.entries(value)) out[scrubString(key)] = walk(item);
      return out;
    }
    return value;
  };
  return walk;
}

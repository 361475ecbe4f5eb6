import type { Rule } from './rule.js';
import { FILTERED } from './secret-keys.js';
import { IP_TOKEN, LATE_TOKEN, PCT } from './separators.js';

// A password holding a token a later rule wrote ({HOME}) was not one when first read (a path's '/' ended it).
// An address (IP_V4) in it was digits and dots, which a password that may hold '/' cannot start with (host:port).
const LATE = new RegExp(`${LATE_TOKEN}|^${IP_TOKEN}`);

// The scheme is read backwards from its ':' (only its last character is checked), so the scan stops only at colons.
const SCHEME_END = '(?<=[A-Za-z0-9+.\\-])';
// scheme://user:password@host. Its ':', '/' and '@' may be plain or JSON- or JavaScript-escaped (`\/`, `\u003a`,
// `\u002f`, `\u0040`, `\x40`): JSON encoders that escape them write the whole URL that way. The password runs to the
// last '@' of the authority (as URL parsers read it), so an unencoded '@' or ':' in it does not leave a tail behind.
// The user name holds no brackets or braces, so a host already replaced by another rule ([DISCORD-INVITE-LINK],
// {HOME}) is not one.
const COLON = String.raw`(?::|\\+(?:u00|x)3[Aa])`;
const SLASH = String.raw`(?:\\*\/|\\+(?:u00|x)2[Ff])`;
const AT = String.raw`(?:@|\\+(?:u00|x)40)`;
// The password may hold an unencoded '/', '?', '#' or "'" before its first '@' (people paste `redis://:pa#ss@host`,
// and the URL in the error message is then not even valid); after an '@' only what an authority holds, so the
// password ends at the last '@' before the host, not at one in the path (`https://u:p@h/x?mail=a@b`). A run that
// starts with the digits of a port and then anything but a letter or '@' (`https://host:8080/path@x`,
// `mongodb://h1:27017,h2:27017/?x=a@b`) is a host and port, not a password.
const AUTHORITY_CHAR = String.raw`[^\s/?#"'<>\\\`@]`;
const PLAIN = new RegExp(
  String.raw`${SCHEME_END}(${COLON}${SLASH}{2}[^\s:/?#@"'<>\\\`[\]{}]*)(${COLON})((?:(?!\d{1,5}[^\dA-Za-z@])[^\s"<>\\\`@]*|${AUTHORITY_CHAR}*)(?:@${AUTHORITY_CHAR}*)*)(${AT})`,
  'g',
);
// The same inside a percent-encoded URL (a redirect target in a query string): %3A, %2F%2F, %3A … %40, at any depth
// of encoding (%253A … %2540); the separators are written back as they were.
const ENCODED_CHAR = (stop: string) => `(?:[A-Za-z0-9._~!$'()*+,;=\\-]|%(?!(?:25)*(?:${stop}))[0-9A-Fa-f]{2})`;
const ENCODED = new RegExp(
  `${SCHEME_END}((?::|${PCT}3[Aa])(?:${PCT}2[Ff]){2}${ENCODED_CHAR('3[Aa]|40|2[Ff]')}*)(${PCT}3[Aa])${ENCODED_CHAR('2[Ff]|3[Ff]|23')}*(${PCT}40)`,
  'g',
);

/** Passwords in URLs of any scheme (`redis://user:secret@host`) → `redis://user:[Filtered]@host`. */
export const urlPasswordRule: Rule = {
  name: 'url-password',
  // '\\' for a URL whose '@' is escaped (\u0040).
  chars: '@%\\',
  apply: (s) => {
    const out = s.replace(PLAIN, (match, head: string, colon: string, password: string, at: string) =>
      LATE.test(password) ? match : `${head}${colon}${FILTERED}${at}`,
    );
    return out.includes('%') ? out.replace(ENCODED, `$1$2${FILTERED}$3`) : out;
  },
};

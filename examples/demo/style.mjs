// Colors only when stdout is a terminal (node:util's styleText checks the stream, NO_COLOR and FORCE_COLOR).
import { styleText } from 'node:util';

export const paint = (format, text) => styleText(format, text, { stream: process.stdout });
const colors = paint('bold', 'x') !== 'x';

/** A message button: reversed in a terminal, in brackets otherwise. */
export const button = (label) => (colors ? paint('inverse', ` ${label} `) : `[${label}]`);

const SCRUBBED =
  /\[BOT-TOKEN\]|\[SHORTENED-ID-\d{4}\]|\[ID-[0-9a-f]+\]|\[DISCORD-INVITE-LINK\]|\[INTERACTION-TOKEN\]|\[WEBHOOK-TOKEN\]|\[DISCORD-TOKEN\]|\[Filtered\]|\bIP_V4\b|\bIP_V6\b|\{HOME\}|\{USERPROFILE\}|\{USERNAME\}|\{COMPUTERNAME\}/g;

/** What the scrubber put in place of a secret, highlighted. */
export const highlightScrubbed = (text) => text.replace(SCRUBBED, (token) => paint(['bold', 'green'], token));

/** Raw secrets (they never leave the bot), highlighted so the difference shows. */
export function highlightRaw(text, secrets) {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(paint(['bold', 'red'], secret));
  return out;
}

/** Discord's **bold** as terminal bold (or plain). */
export const markdown = (text) => text.replace(/\*\*([^*]+)\*\*/g, (_, inner) => paint('bold', inner));

/** Word-wraps `text` to `width` columns: the first line prefixed with `indent`, the others with `rest`. */
export function wrap(text, indent, rest = indent, width = 110) {
  const out = [];
  for (const paragraph of String(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && visible(line).length + 1 + visible(word).length > width - indent.length) {
        out.push((out.length === 0 ? indent : rest) + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push((out.length === 0 ? indent : rest) + line);
  }
  return out.join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal color codes to measure text
const visible = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

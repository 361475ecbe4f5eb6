// Text that reached the store from outside (an error's message, a task name) is printed to the owner's terminal:
// control characters and bidirectional overrides in it must not clear the screen, retitle the window or disguise a
// line. Each becomes a visible escape (also a valid JSON escape, so --json output stays JSON); line breaks and tabs
// of the command's own layout stay.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

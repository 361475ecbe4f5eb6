// The demo's last word: the owner's own command, `consentry sent`, run as the owner would on the bot's store.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SUITE } from '../acme-suite/telemetry.mjs';
import { highlightScrubbed, paint } from './style.mjs';

const BIN = fileURLToPath(new URL('../../dist/esm/src/cli/bin.js', import.meta.url));

/** Prints `consentry sent` for the demo's suite; true when it lists each request the fake Sentry received. */
export async function printSentRecord({ world, sentry, fakeSentry }) {
  const args = ['sent', '--suite', SUITE, '--dir', join(world.dir, '.consentry')];
  console.log(`\n${paint('bold', '━━ What the owner sees afterwards: consentry sent ━━')}`);
  console.log(paint('dim', `  $ consentry ${args.slice(0, 3).join(' ')} --dir <the bot's .consentry>`));
  let stdout;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [BIN, ...args]));
  } catch (error) {
    console.log(`  ${String(error.stderr || error.message).trim()}`);
    return false;
  }
  for (const line of stdout.trimEnd().split('\n')) console.log(`  ${highlightScrubbed(line)}`);
  if (!fakeSentry) return true;
  const { stdout: json } = await promisify(execFile)(process.execPath, [BIN, ...args, '--json']);
  const listed = JSON.parse(json).entries.length;
  const received = sentry.requests().length;
  const ok = listed === received;
  console.log(
    `  ${ok ? paint('green', '✓') : paint('red', '✗')} the record lists every request Sentry received: ${listed} of ${received}`,
  );
  return ok;
}

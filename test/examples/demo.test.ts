// npm start's script (examples/demo.mjs), offline: exit code and report. No colors (NO_COLOR) so text matches.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanEnv, type Exit, root, run, section } from './support.js';

beforeAll(assertBuilt);

const HOST_SECRET = 'host-otlp-secret-8c1f2e';

describe('npm start (examples/demo.mjs), offline', () => {
  let exit: Exit;
  /** Every byte the demo's fake Sentry received (CONSENTRY_DEMO_RECEIVED asks the demo to write them). */
  let received: string;
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'consentry-demo-')), 'received.bin');
    // A host's OTLP header secret in the environment: it must not reach Sentry either (promise 4).
    exit = await run(
      'examples/demo.mjs',
      cleanEnv({ CONSENTRY_DEMO_RECEIVED: file, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${HOST_SECRET}` }),
    );
    received = readFileSync(file, 'utf8');
  });

  it('plays the scenario and exits 0 with every check passed', () => {
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const checks = section(exit.stdout, 'Checks');
    expect(checks).not.toContain('✗');
    expect(checks).toMatch(/✓ at manual exactly one event was sent, the one the owner sent by hand: 1/);
    expect(exit.stdout).toMatch(/^The scenario held \(\d+ checks/m);
  });

  it('ends with consentry sent: one line per request Sentry received, titles scrubbed as sent', () => {
    const record = exit.stdout.slice(exit.stdout.indexOf('━━ What the owner sees afterwards: consentry sent ━━'));
    expect(record).toMatch(/TIME \(UTC\)\s+KIND\s+MODULE\s+BYTES\s+ANSWER\s+TITLE/);
    expect(record).toMatch(/event\s+notes\s+\d+\s+200\s+Error: sync for user \[SHORTENED-ID-\d{4}\]/);
    expect(record).toMatch(/spans\s+status\s+\d+\s+200\s+.*check-updates/);
    const [, listed, received] = record.match(/✓ the record lists every request Sentry received: (\d+) of (\d+)/) ?? [];
    expect(Number(listed)).toBeGreaterThan(0);
    expect(listed).toBe(received);
    expect(record).not.toContain('203.0.113.42');
  });

  it('shows what the owner and the user saw', () => {
    const seen = section(exit.stdout, 'What the owner and the user saw');
    expect(seen).toContain('acme-plugins would like to send error reports to its developers');
    expect(seen).toContain('[Errors + performance] [Errors only] [Keep it off] [Show an example of what is sent]');
    expect(seen).toContain('Done: the level of acme-plugins is now all');
    expect(seen).toMatch(
      /the user sees \(ephemeral, only them\):\n\s+│ Sorry, something went wrong while running this command\.\n/,
    );
    expect(seen).toContain("Level: all (decided by the owner's choice)");
    expect(seen).toContain('Done: the level of acme-plugins is now manual');
    const code = /send code:([0-9A-Z]{6})/.exec(seen)?.[1];
    expect(code).toBeDefined();
    expect(seen).toContain(`report-${code}.json`);
    expect(seen).toMatch(
      new RegExp(`Sent report \`${code}\` to the developers of acme-plugins \\(event \`[0-9a-f]{32}\`\\)`),
    );
  });

  it('no raw secret the scenario put into the errors is in any byte Sentry received; the report lists them scrubbed', () => {
    const seen = section(exit.stdout, 'What the owner and the user saw');
    // The raw error as thrown, shown before: it carries the user id and the bot token (wrapped over lines).
    const raw =
      /sync for user (\d{17,19}) failed: POST\s+http:\/\/203\.0\.113\.42:8080\/v1\/sync with\s+"Authorization:\s+Bot\s+(\S+?)"/.exec(
        seen,
      );
    expect(raw).not.toBeNull();
    const [, userId = '', token = ''] = raw ?? [];
    // What arrived carries the error, scrubbed (so the search below looks at the right bytes), and no secret.
    expect(received).toContain('POST /api/');
    expect(received).toMatch(/sync for user \[SHORTENED-ID-\d{4}\] failed: POST http:\/\/IP_V4:8080/);
    expect(received).toContain('[BOT-TOKEN]');
    const secrets = [userId, token, token.split('.').at(-1) ?? '', '203.0.113.42', 'discord.gg/AcmeNotes', HOST_SECRET];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(received).not.toContain(secret);
    }
    const printed = exit.stdout.slice(exit.stdout.indexOf('━━ What Sentry received'));
    for (const secret of [userId, token, '203.0.113.42']) expect(printed).not.toContain(secret);
    const items = section(exit.stdout, 'What Sentry received');
    expect(items).toContain('events (3)');
    expect(items).toMatch(
      /Error: sync for user \[SHORTENED-ID-\d{4}\] failed: POST http:\/\/IP_V4:8080\/v1\/sync with "Authorization: Bot\s+\[BOT-TOKEN\]" answered 502 \(ask in https:\/\/\[DISCORD-INVITE-LINK\]\)/,
    );
    expect(items.match(/sent by hand by the owner/g)).toHaveLength(1);
    expect(items).toMatch(/notes · listener · sent at once/);
    expect(items).toMatch(
      /spans \(\d+\): \d+ check-updates, and their \d+ children \(\d+ fetch-latest\)\n\s+carried by: .*\n.*on every span: .*\n\s+· check-updates · [\d.]+ ms · consentry\.module=status consentry\.kind=loop/,
    );
    expect(items).toMatch(/└ fetch-latest/);
    expect(items).toMatch(/carried by: OTLP \(\d+ span batches/);
    expect(items).not.toMatch(/reading 'ping'/);
  });

  it('the update loop’s figures add up: runs, requests, runs per level, spans', () => {
    const seen = section(exit.stdout, 'What the owner and the user saw');
    const soFar =
      /(\d+) runs so far \((\d+) before the owner’s choice, at manual; (\d+) since, at all\), one request each: (\d+) requests/.exec(
        seen.replace(/\s+/g, ' '),
      );
    expect(soFar).not.toBeNull();
    const [runs, before, since, requests] = (soFar ?? []).slice(1).map(Number) as [number, number, number, number];
    expect(before + since).toBe(runs);
    expect(requests).toBe(runs);
    expect(since).toBeGreaterThanOrEqual(3);
    const total =
      /update loop: (\d+) runs in all \((\d+) before the owner’s choice, (\d+) at level all, (\d+) after the switch to manual\), 0 failed/.exec(
        seen.replace(/\s+/g, ' '),
      );
    expect(total).not.toBeNull();
    const [all, before2, atAll, after] = (total ?? []).slice(1).map(Number) as [number, number, number, number];
    expect(before2).toBe(before);
    expect(before2 + atAll + after).toBe(all);
    expect(atAll).toBeGreaterThanOrEqual(since);
    const items = section(exit.stdout, 'What Sentry received');
    const spans = /spans \((\d+)\): (\d+) check-updates, and their (\d+) children/.exec(items);
    const [sum, loops, children] = (spans ?? []).slice(1).map(Number) as [number, number, number];
    expect(loops + children).toBe(sum);
    expect(loops).toBeGreaterThanOrEqual(since);
    expect(loops).toBeLessThanOrEqual(atAll);
    const checks = section(exit.stdout, 'Checks');
    expect(checks).toContain(
      `✓ the update loop’s figures add up: ${runs} runs, ${runs} requests to the update endpoint`,
    );
    expect(checks).toMatch(
      new RegExp(
        `✓ the update loop’s runs at level all were sent as spans, one per run: runs ${before + 1}–\\d+ \\(${loops} spans\\)`,
      ),
    );
    // What was dropped accounts for the rest.
    const dropped = section(exit.stdout, 'What was dropped');
    expect(dropped).toContain(
      `the settings migration and ${before} update check${before === 1 ? '' : 's'} ran untraced`,
    );
  });

  it('the bot’s log names the handler that failed, and Sentry’s frames name the function', () => {
    const log = section(exit.stdout, 'The bot’s own log');
    expect(log.match(/\[bot\] \/note sync failed: Error: sync for user/g)).toHaveLength(2);
    expect(log).toContain('[bot] a messageCreate listener failed: TypeError: object null is not iterable');
    expect(log).toContain("[bot] /stats failed: TypeError: Cannot read properties of undefined (reading 'ping')");
    expect(log).not.toContain('a listener failed');
    const items = section(exit.stdout, 'What Sentry received');
    expect(items).toContain('at Client.handleNoteCommand ({CWD}/examples/acme-suite/notes/commands.mjs:');
    expect(items).toContain('at Client.handleQuickNote ({CWD}/examples/acme-suite/notes/quick-notes.mjs:');
    expect(items).not.toContain('.?');
  });

  it('says what was dropped: command traces and the bot’s own error', () => {
    const dropped = section(exit.stdout, 'What was dropped');
    expect(dropped).toMatch(
      /command traces: \d+ interactions and 1 message went through notes’ wrapped handlers, each a command span; received: 0/,
    );
    expect(dropped).toContain(
      "the bot’s own error, TypeError: Cannot read properties of undefined (reading 'ping'): handled by the bot only; received: no",
    );
  });
});

describe('npm start with DO_NOT_TRACK=1', () => {
  it('sends no DM, lets nothing leave the process, and still exits 0', async () => {
    const exit = await run('examples/demo.mjs', cleanEnv({ DO_NOT_TRACK: '1' }));
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const seen = section(exit.stdout, 'What the owner and the user saw');
    expect(seen).toContain('level off (DO_NOT_TRACK)');
    expect(seen).toContain('no direct message was sent');
    expect(seen).toContain("Not changed: cannot set the level to 'off'");
    expect(section(exit.stdout, 'What Sentry received')).toContain(
      'Nothing left the process: 0 requests reached Sentry.',
    );
    const checks = section(exit.stdout, 'Checks');
    expect(checks).toContain('✓ no direct message was sent (DO_NOT_TRACK)');
    expect(checks).toContain('✓ nothing left the process: 0 requests to Sentry');
    expect(checks).not.toContain('✗');
    expect(exit.stdout).toContain('acme-plugins: nothing was sent in the last 7 days');
    expect(exit.stdout).toContain('✓ the record lists every request Sentry received: 0 of 0');
  });
});

// The README's table of variables, each as a newcomer would run it: the scenario holds, and what the report says
// matches the level (stderr carries only CONSENTRY_DEBUG's "would send" lines).
describe.each([
  ['CONSENTRY_DEBUG=1', { CONSENTRY_DEBUG: '1' }],
  ['CONSENTRY_LEVEL=off', { CONSENTRY_LEVEL: 'off' }],
  ['CONSENTRY_LEVEL=manual', { CONSENTRY_LEVEL: 'manual' }],
  ['CONSENTRY_LEVEL=errors', { CONSENTRY_LEVEL: 'errors' }],
  ['CONSENTRY_LEVEL=all', { CONSENTRY_LEVEL: 'all' }],
  ['CI=true', { CI: 'true' }],
])('npm start with %s', (name, vars) => {
  let exit: Exit;
  beforeAll(async () => {
    exit = await run('examples/demo.mjs', cleanEnv(vars));
  });

  it('holds, with output consistent with the level', () => {
    expect(exit.stderr.split('\n').filter((line) => line && !line.startsWith('{"consentry":"would send"'))).toEqual([]);
    expect(exit.code).toBe(0);
    const checks = section(exit.stdout, 'Checks');
    expect(checks).not.toContain('✗');
    const dm = section(exit.stdout, 'What the owner and the user saw');
    const level = name === 'CI=true' ? 'off' : (vars as { CONSENTRY_LEVEL?: string }).CONSENTRY_LEVEL;
    if (level) {
      // One true thing: the level, who set it, what it sends; never "nothing is sent until you answer".
      const text = dm.replace(/\s*│\s*/g, ' ');
      expect(text).toMatch(
        new RegExp(
          `On this bot the level is set to ${level} by (the CONSENTRY_LEVEL environment variable|CI detection), not by you`,
        ),
      );
      expect(text).not.toMatch(/until you answer|if you agree|change your mind/i);
      expect(checks).toContain(
        level === 'all' ? 'were sent as spans, one per run' : 'no span was sent below level all: 0',
      );
    }
    if (name === 'CONSENTRY_DEBUG=1') {
      expect(section(exit.stdout, 'What Sentry received')).toContain(
        'Nothing left the process: 0 requests reached Sentry.',
      );
      const written = section(exit.stdout, 'What CONSENTRY_DEBUG wrote to stderr instead of sending');
      expect(written).toMatch(/spans \(\d+\): \d+ check-updates, and their \d+ children/);
      expect(written).toContain('events (3)');
      expect(checks).toMatch(
        /✓ the update loop’s runs at level all were written to stderr as spans, one per run: runs \d+–\d+/,
      );
      expect(checks).not.toContain('below level all');
      expect(exit.stderr).toContain('"consentry.kind":"loop"');
    }
  });
});

describe('the README’s sample of the demo’s output', () => {
  it('has the shape of a real run (regenerate it with node scripts/readme-figures.mjs)', async () => {
    const exit = await run('', cleanEnv(), [join(root, 'scripts', 'readme-figures.mjs'), '--check']);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });
});

describe('npm start with DEMO_NO_OTLP=1 (a Sentry without an OTLP route, as GlitchTip or Spotlight)', () => {
  it('says the spans went as transaction envelopes after one switch line, and every check holds', async () => {
    const exit = await run('examples/demo.mjs', cleanEnv({ DEMO_NO_OTLP: '1' }));
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const items = section(exit.stdout, 'What Sentry received');
    expect(items).toMatch(
      /carried by: transaction envelopes \(\d+ transactions\): the OTLP route answered HTTP 404, so spanTransport 'auto' switched/,
    );
    expect(items).toMatch(
      /· check-updates · [\d.]+ ms · consentry\.module=status consentry\.kind=loop sentry\.op=loop/,
    );
    expect(items).toMatch(/└ fetch-latest · [\d.]+ ms · consentry\.module=status sentry\.op=function/);
    expect(items).toMatch(
      /on every span: sentry\.release=acme-plugins\|status@\S+ sentry\.environment=production user\.id=/,
    );
    expect(exit.stdout.match(/has no OTLP traces route \(HTTP 404\)/g)).toHaveLength(1);
    expect(section(exit.stdout, 'Checks')).not.toContain('✗');
  });
});

describe('npm start with DISCORD_TOKEN (the real bot)', () => {
  it('its modules load (not run here: it needs Discord); without a token the entry says what is missing', async () => {
    const script = `
      const { runForReal } = await import('./examples/demo/for-real.mjs');
      const bot = await import('./examples/bot/index.mjs');
      console.log(typeof runForReal, typeof bot.runForReal);
      await bot.runForReal().catch((error) => console.log(error.message));
    `;
    const exit = await run('', cleanEnv(), ['--input-type=module', '-e', script]);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe(
      'function function\nDISCORD_TOKEN is not set: give the bot token, or run `npm start` for the offline demo\n',
    );
  });
});

describe('npm start when the scenario cannot hold', () => {
  it('exits 1 with the reason, and shows how far it came and the bot’s log', async () => {
    // A DSN that is not one: one log line, and the suite runs with nothing to send, so no report is kept at manual.
    const exit = await run('examples/demo.mjs', cleanEnv({ CONSENTRY_DSN: 'not-a-url' }));
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(
      /The scenario did not hold: at manual the owner was given a report code to preview and send/,
    );
    expect(section(exit.stdout, 'The bot’s own log')).toContain(
      "error consentry: createTelemetry('acme-plugins'): option `dsn` is not a valid Sentry DSN: it is not a URL",
    );
  });
});

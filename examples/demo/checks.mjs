// Did the scenario hold? Each check is one promise of consentry, verified on what the fake Discord and the fake
// Sentry saw. Expectations follow the level the environment and the owner decided.

import { isDeepStrictEqual } from 'node:util';
import { receivedSpans } from './received-spans.mjs';
import { loopSpansIn } from './scenario.mjs';

const ERROR_REPLY = 'Sorry, something went wrong while running this command.';
export const SCRUBBED = ['[BOT-TOKEN]', '[SHORTENED-ID-', '[DISCORD-INVITE-LINK]', 'IP_V4'];

/** The raw values the scenario put into errors and logs; none may reach Sentry. */
export function secretsOf(facts) {
  return {
    'bot token': facts.token,
    'bot token (secret part)': facts.token.split('.').at(-1),
    'user id': facts.member,
    'owner id': facts.owner,
    'server id': facts.guildId,
    'IP address': '203.0.113.42',
    'invite link': 'discord.gg/AcmeNotes',
  };
}

const reports = (level) => level === 'errors' || level === 'all';

export function runChecks({ facts, sentry, debug }) {
  const checks = [];
  const check = (ok, text) => checks.push({ ok: Boolean(ok), text });
  const hardOff = facts.start.source === 'DO_NOT_TRACK' || facts.start.source === 'CONSENTRY_DISABLED';

  // What people saw.
  if (hardOff) check(!facts.dm, `no direct message was sent (${facts.start.source})`);
  else check(facts.dm && facts.buttons.length > 0, 'the owner got the first-time DM, with buttons');
  check(
    facts.userReply.ephemeral && facts.userReply.data.content === ERROR_REPLY,
    'the user who hit the error got a short ephemeral reply, nothing more',
  );
  const labels = facts.botErrors.map((error) => error.what).sort();
  check(
    isDeepStrictEqual(labels, ['/note sync', '/note sync', '/stats', 'a messageCreate listener']) &&
      facts.botErrors.filter((error) => error.error.includes('sync for user')).length === 2,
    `the bot’s own error handling got all 4 errors, unchanged, each named for its handler (2 × /note sync, a messageCreate listener, its own /stats): ${labels.join(', ')}`,
  );
  check(
    facts.loopCount.requests === facts.loopCount.runs,
    `the update loop’s figures add up: ${facts.loopCount.runs} runs, ${facts.loopCount.requests} requests to the update endpoint`,
  );
  if (!facts.start.locked) {
    check(
      facts.levelDuringRun === 'all' && facts.levelAtEnd === 'manual',
      `the owner’s buttons set the level: all, then manual (got ${facts.levelDuringRun}, then ${facts.levelAtEnd})`,
    );
  }
  if (facts.levelAtEnd === 'manual') {
    check(facts.code, 'at manual the owner was given a report code to preview and send');
  }
  if (facts.preview) {
    const leaked = Object.entries(secretsOf(facts)).filter(([, value]) => facts.preview.includes(value));
    check(leaked.length === 0, `the preview holds no raw secret${leaked.length ? `: ${names(leaked)}` : ''}`);
    const missing = SCRUBBED.filter((token) => !facts.preview.includes(token));
    check(missing.length === 0, `the preview shows the scrubbed values${missing.length ? `; missing ${missing}` : ''}`);
  }

  if (!sentry) {
    check(true, 'what Sentry received is not checked: the demo sent to CONSENTRY_DSN, which it cannot read back');
    return checks;
  }

  // What Sentry received (with CONSENTRY_DEBUG: nothing, and what was written to stderr instead).
  const received = sentry.received();
  const leaked = Object.entries(secretsOf(facts)).filter(([, value]) => received.includes(value));
  check(
    leaked.length === 0,
    `no raw secret in the ${received.length} characters Sentry received${leaked.length ? `: found ${names(leaked)}` : ''}`,
  );
  check(!received.includes("reading 'ping'"), 'the bot’s own error (/stats) was not received');
  const where = debug ? 'written to stderr' : 'sent';
  const spans = debug ? debug.spans() : receivedSpans(sentry);
  const events = debug ? debug.events() : sentry.events();
  const sessions = debug ? debug.sessions() : sentry.sessions();
  const background = spans.filter((span) => ['loop', 'migration'].includes(span.attributes['consentry.kind']));
  const ids = new Set(background.map((span) => span.spanId));
  check(
    spans.every((span) => ids.has(span.spanId) || ids.has(span.parentSpanId)),
    `every span ${where} comes from background work (loop, migration) or is its child; none from a command (${spans.length} spans)`,
  );

  const sentByHand = facts.levelAtEnd === 'manual' && facts.sentEventId !== undefined;
  if (debug) {
    check(
      sentry.requests().length === 0,
      `CONSENTRY_DEBUG: nothing reached Sentry (${sentry.requests().length} requests)`,
    );
  } else if (!reports(facts.levelDuringRun) && !reports(facts.levelAtEnd) && !sentByHand) {
    check(sentry.requests().length === 0, `nothing left the process: ${sentry.requests().length} requests to Sentry`);
  }
  if (facts.levelDuringRun === 'all') {
    const runs = loopSpansIn(spans).map((span) => Number(span.attributes['consentry.loop.iteration']));
    // Traced: the runs started at level all. Those that ended before the flush are certain to be there; one that
    // ended between the flush and the switch to manual may be too (a lower level drops what is still queued).
    const first = facts.start.locked ? 1 : facts.loopBefore + 1;
    const last = facts.start.locked ? facts.loopTotal : facts.loopAtSwitch;
    const expected = Array.from({ length: facts.loopAtFlush - facts.loopBefore }, (_, i) => facts.loopBefore + 1 + i);
    check(
      runs.length >= LOOP_MIN &&
        expected.every((run) => runs.includes(run)) &&
        runs.every((run) => run >= first && run <= last),
      `the update loop’s runs at level all were ${where} as spans, one per run: ${describeRuns(runs)}`,
    );
  } else {
    check(spans.length === 0, `no span was ${where} below level all: ${spans.length}`);
  }
  if (!reports(facts.levelDuringRun)) {
    check(sessions.length === 0, `no session was ${where} below level errors: ${sessions.length}`);
  }

  const before = events.slice(0, facts.receivedAtSwitch.events);
  const after = events.slice(facts.receivedAtSwitch.events);
  if (reports(facts.levelDuringRun)) {
    const handlers = before.map((event) => `${event.tags?.module}/${event.tags?.handler}`).sort();
    check(
      isDeepStrictEqual(handlers, ['notes/command', 'notes/listener']),
      `while reports were on, the two errors of notes were ${where} at once: ${handlers.join(', ') || 'none'}`,
    );
  } else {
    const when = facts.start.locked ? `at level ${facts.levelDuringRun}` : 'before the owner agreed';
    check(before.length === 0, `no error was ${where} ${when}: ${before.length}`);
  }
  if (sentByHand) {
    const [event] = after;
    check(
      after.length === 1 && event.event_id === facts.sentEventId,
      `at manual exactly one event was ${where}, the one the owner sent by hand: ${after.length}`,
    );
    if (event && facts.preview) {
      check(
        isDeepStrictEqual(JSON.parse(facts.preview), JSON.parse(JSON.stringify(event))),
        'it is exactly what the owner previewed',
      );
    }
  } else if (reports(facts.levelAtEnd)) {
    check(
      after.length === 1,
      `the second /note sync error was ${where} at once (level ${facts.levelAtEnd}): ${after.length}`,
    );
  } else {
    const when = facts.start.locked ? `later (level ${facts.levelAtEnd})` : 'after the level went down';
    check(after.length === 0, `no event was ${where} ${when}: ${after.length}`);
  }
  return checks;
}

const LOOP_MIN = 3;

function describeRuns(runs) {
  if (runs.length === 0) return 'none';
  const sorted = [...runs].sort((a, b) => a - b);
  const range = sorted.length > 1 ? `runs ${sorted[0]}–${sorted.at(-1)}` : `run ${sorted[0]}`;
  return `${range} (${sorted.length} spans)`;
}

const names = (entries) => entries.map(([name]) => name).join(', ');

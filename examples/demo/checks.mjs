// Did the scenario hold? Each check is one promise of consentry, verified on what the fake Discord and the fake
// Sentry saw. Expectations follow the level the environment and the owner decided.

import { isDeepStrictEqual } from 'node:util';
import { receivedSpans } from './received-spans.mjs';

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

export function runChecks({ facts, sentry, debug, debugEnvelopes }) {
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
  check(
    facts.botErrors.length === 4 && facts.botErrors.filter((error) => error.includes('sync for user')).length === 2,
    `the bot’s own error handling got all 4 errors, unchanged (2 × /note sync, the listener, its own /stats): ${facts.botErrors.length}`,
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

  // What Sentry received.
  const received = sentry.received();
  const leaked = Object.entries(secretsOf(facts)).filter(([, value]) => received.includes(value));
  check(
    leaked.length === 0,
    `no raw secret in the ${received.length} characters Sentry received${leaked.length ? `: found ${names(leaked)}` : ''}`,
  );
  check(!received.includes("reading 'ping'"), 'the bot’s own error (/stats) was not received');
  const spans = receivedSpans(sentry);
  const background = spans.filter((span) => ['loop', 'migration'].includes(span.attributes['consentry.kind']));
  const ids = new Set(background.map((span) => span.spanId));
  check(
    spans.every((span) => ids.has(span.spanId) || ids.has(span.parentSpanId)),
    `every span comes from background work (loop, migration) or is its child; none from a command (${spans.length} spans)`,
  );

  const sentByHand = facts.levelAtEnd === 'manual' && facts.sentEventId !== undefined;
  if (!reports(facts.levelDuringRun) && !reports(facts.levelAtEnd) && !sentByHand) {
    check(sentry.requests().length === 0, `nothing left the process: ${sentry.requests().length} requests to Sentry`);
  }
  if (facts.levelDuringRun === 'all' && !debug) {
    const loops = background.filter((span) => span.attributes['consentry.kind'] === 'loop' && !span.parentSpanId);
    check(loops.length >= 3, `the update loop’s iterations arrived as spans: ${loops.length}`);
  } else {
    check(spans.length === 0, `no span was sent below level all: ${spans.length}`);
  }
  if (!reports(facts.levelDuringRun)) {
    check(sentry.sessions().length === 0, `no session was sent below level errors: ${sentry.sessions().length}`);
  }

  const before = sentry.events().slice(0, facts.receivedAtSwitch.events);
  const after = sentry.events().slice(facts.receivedAtSwitch.events);
  if (debug) {
    check(sentry.events().length === 0, `CONSENTRY_DEBUG: no event reached Sentry (${sentry.events().length})`);
    check(spans.length === 0, `CONSENTRY_DEBUG: no span reached Sentry (${spans.length})`);
    if (reports(facts.levelDuringRun) || sentByHand) {
      check(debugEnvelopes > 0, `CONSENTRY_DEBUG: ${debugEnvelopes} envelopes were written to stderr instead`);
    }
    return checks;
  }
  if (reports(facts.levelDuringRun)) {
    const handlers = before.map((event) => `${event.tags?.module}/${event.tags?.handler}`).sort();
    check(
      isDeepStrictEqual(handlers, ['notes/command', 'notes/listener']),
      `while reports were on, the two errors of notes were sent at once: ${handlers.join(', ') || 'none'}`,
    );
  } else {
    check(before.length === 0, `no error was sent before the owner agreed: ${before.length}`);
  }
  if (sentByHand) {
    const [event] = after;
    check(
      after.length === 1 && event.event_id === facts.sentEventId,
      `at manual exactly one event arrived, the one the owner sent by hand: ${after.length}`,
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
      `the second /note sync error was sent at once (level ${facts.levelAtEnd}): ${after.length}`,
    );
  } else {
    check(after.length === 0, `no event after the level went down: ${after.length}`);
  }
  return checks;
}

const names = (entries) => entries.map(([name]) => name).join(', ');

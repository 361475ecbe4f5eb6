// The demo's report: what the owner and the user saw, the bot's own log, what Sentry received item by item, what
// was dropped, and the checks. Everything after "What Sentry received" holds scrubbed values only.
import { secretsOf } from './checks.mjs';
import { receivedSpans, spanTransportSeen } from './received-spans.mjs';
import { button, highlightRaw, highlightScrubbed, markdown, paint, wrap } from './style.mjs';

// Shown once above the spans rather than on each line: the same on every span of a module.
const SHARED_ATTRIBUTES = ['sentry.release', 'sentry.environment', 'user.id', 'session.id'];
const HIDDEN_ATTRIBUTES = ['consentry.suite', 'consentry.version', ...SHARED_ATTRIBUTES];

const SPANS_SHOWN = 3;
const heading = (text) => `\n${paint('bold', `━━ ${text} ━━`)}`;
const WHO = { owner: 'the owner sees', user: 'the user sees' };

export function printReport({ steps, facts, sentry, log, checks, env, debug, seconds }) {
  const out = [];
  out.push(paint('bold', 'consentry demo: acme-plugins in a plain discord.js bot, offline'));
  out.push(
    `A real discord.js client logged into a fake Discord on 127.0.0.1; ${sentry ? 'a fake Sentry on 127.0.0.1 records what is sent' : `reports go to CONSENTRY_DSN (${URL.canParse(env.CONSENTRY_DSN) ? new URL(env.CONSENTRY_DSN).host : 'not a URL: nothing is sent'})`}.`,
  );
  const shown = ['DO_NOT_TRACK', 'CONSENTRY_DISABLED', 'CONSENTRY_LEVEL', 'CONSENTRY_DEBUG', 'CONSENTRY_DSN', 'CI'];
  out.push(
    paint(
      'dim',
      `environment: ${shown.map((name) => `${name}=${env[name] ? (name === 'CONSENTRY_DSN' ? '(set)' : env[name]) : '(unset)'}`).join(' ')}`,
    ),
  );
  out.push(...seenAndLogged({ steps, facts, log }));

  out.push(heading('What Sentry received'));
  if (!sentry) {
    out.push(
      '  Not shown: the reports went to CONSENTRY_DSN, which this demo cannot read back. Run without it to see them.',
    );
  } else {
    out.push(
      paint(
        'dim',
        '  (scrubbed values are highlighted; [SHORTENED-ID-xxxx] keeps 4 digits of an id’s timestamp, so ids made in the same millisecond look alike)',
      ),
    );
    out.push(...received(sentry, facts));
  }
  if (debug) {
    out.push(heading('What CONSENTRY_DEBUG wrote to stderr instead of sending'));
    out.push(...writtenInstead(debug, facts));
  }

  out.push(heading('What was dropped'));
  out.push(...dropped({ facts, sentry, debug }));

  out.push(heading('Checks'));
  for (const { ok, text } of checks) out.push(`  ${ok ? paint('green', '✓') : paint('red', '✗')} ${text}`);
  const failed = checks.filter((check) => !check.ok);
  out.push('');
  out.push(
    failed.length === 0
      ? paint(['bold', 'green'], `The scenario held (${checks.length} checks, ${seconds.toFixed(1)} s).`)
      : paint(['bold', 'red'], `The scenario did not hold: ${failed.map((check) => check.text).join('; ')}`),
  );
  console.log(out.join('\n'));
}

/** When the scenario broke off: how far it came, and the bot's log (it usually says why). */
export function printPartialReport({ steps, facts, log }) {
  console.log(seenAndLogged({ steps, facts, log }).join('\n'));
}

function seenAndLogged({ steps, facts, log }) {
  const out = [];
  const secrets = facts.token ? Object.values(secretsOf(facts)) : [];
  const raw = (text) => highlightRaw(text, secrets);
  out.push(heading('What the owner and the user saw'));
  steps.forEach((step, index) => {
    out.push(`\n${paint('bold', `${index + 1}. ${step.title}`)}`);
    for (const line of step.lines) out.push(formatLine(line, raw));
  });
  out.push(heading('The bot’s own log (stays on this machine)'));
  for (const line of log.lines)
    out.push(paint('dim', wrap(raw(`${line.level.padEnd(5)} ${line.text}`), '  ', '        ')));
  return out;
}

function formatLine(line, raw) {
  switch (line.kind) {
    case 'owner':
    case 'user': {
      const where = line.dm ? ' (direct message)' : line.ephemeral ? ' (ephemeral, only them)' : '';
      const label = `${WHO[line.kind]}${where}:`;
      const parts = [`   ${paint('cyan', label)}`, paint('cyan', wrap(markdown(line.text ?? ''), '   │ '))];
      if (line.buttons?.length) parts.push(`   ${line.buttons.map(button).join(' ')}`);
      for (const file of line.files ?? []) parts.push(`   📎 ${file.name} (${file.size} bytes)`);
      return parts.join('\n');
    }
    case 'raw':
      return wrap(raw(line.text), '   ', '     ');
    default:
      return wrap(markdown(line.text), '   · ', '     ');
  }
}

function received(sentry, facts) {
  const out = [];
  const requests = sentry.requests();
  if (requests.length === 0) {
    out.push(paint('bold', '  Nothing left the process: 0 requests reached Sentry.'));
    return out;
  }
  const byEndpoint = (endpoint) => requests.filter((request) => request.endpoint === endpoint).length;
  out.push(
    `  ${plural(requests.length, 'request')} to ${new URL(sentry.url).host}: ${plural(byEndpoint('envelope'), 'envelope')}, ${plural(byEndpoint('otlp-traces'), 'OTLP span batch', 'OTLP span batches')}, ${sentry.received().length} characters in all`,
  );

  const events = sentry.events();
  out.push(`\n  ${paint('bold', `events (${events.length})`)}`);
  events.forEach((event, index) => {
    const exception = event.exception?.values?.at(-1);
    const frame = exception?.stacktrace?.frames?.at(-1);
    const how = event.event_id === facts.sentEventId ? 'sent by hand by the owner' : 'sent at once';
    out.push(
      `   ${index + 1}. ${event.tags?.module} · ${event.tags?.handler ?? 'task'} · ${how} · ${event.release}`,
      highlightScrubbed(wrap(`${exception?.type}: ${exception?.value}`, '      ')),
    );
    if (frame) out.push(paint('dim', `      at ${frame.function ?? '?'} (${frame.filename}:${frame.lineno})`));
    const tags = Object.entries(event.tags ?? {}).filter(([name]) => name.startsWith('discord.') || name === 'handler');
    out.push(
      paint('dim', `      tags ${tags.map(([name, value]) => `${name}=${value}`).join(' ')} · user ${event.user?.id}`),
    );
    for (const crumb of event.breadcrumbs ?? []) {
      out.push(highlightScrubbed(wrap(`breadcrumb: ${crumb.message}`, '      ')));
    }
  });

  const sessions = sentry.sessions();
  out.push(`\n  ${paint('bold', `sessions (${sessions.length})`)}`);
  for (const session of sessions) {
    out.push(
      `   · ${session.release} · ${session.status}${session.errors ? ` · ${session.errors} error(s)` : ''}${session.init ? ' · first update' : ''}`,
    );
  }

  const spans = receivedSpans(sentry);
  const about = [`   carried by: ${spanTransportSeen(sentry)}`];
  const first = spans.find((span) => span.attributes['sentry.release'] !== undefined);
  if (first) {
    const shared = SHARED_ATTRIBUTES.map((name) => `${name}=${first.attributes[name]}`).join(' ');
    about.push(paint('dim', `   the release, environment, user and session of the events, on every span: ${shared}`));
  }
  out.push(...spanTree(spans, about));
  return out;
}

function dropped({ facts, sentry, debug }) {
  const out = [];
  const commandSpans =
    sentry && receivedSpans(sentry).filter((span) => span.attributes['consentry.kind'] === 'command').length;
  out.push(
    `  · command traces: ${facts.interactions} interactions and ${facts.messages} message went through notes’ wrapped handlers, each a command span${sentry ? `; received: ${commandSpans}` : ''}`,
  );
  out.push(
    `  · the bot’s own error, ${facts.hostError ?? '(none)'}: handled by the bot only${sentry ? `; received: ${sentry.received().includes("reading 'ping'") ? 'yes' : 'no'}` : ''}`,
  );
  if (facts.levelDuringRun !== 'all') {
    out.push(
      `  · background work: the settings migration and all ${plural(facts.loopTotal, 'update check')} ran untraced (the level never was all)`,
    );
  } else if (facts.start.level !== 'all') {
    out.push(
      `  · before the owner chose (level ${facts.start.level}): the settings migration and ${plural(facts.loopBefore, 'update check')} ran untraced`,
    );
  }
  const afterSwitch = facts.loopTotal - facts.loopAtSwitch;
  if (facts.levelAtEnd !== 'all' && facts.levelDuringRun === 'all' && afterSwitch > 0) {
    out.push(`  · after the switch to ${facts.levelAtEnd}: ${plural(afterSwitch, 'more update check')}, untraced`);
  }
  if (facts.levelDuringRun === 'all' && !facts.start.locked) {
    const spans = debug ? debug.spans() : sentry && receivedSpans(sentry);
    const traced = spans?.filter((span) => span.attributes['consentry.kind'] === 'loop' && !span.parentSpanId).length;
    const queued = facts.loopAtSwitch - facts.loopBefore - (traced ?? 0);
    if (spans && queued > 0) {
      out.push(
        `  · ${plural(queued, 'update check')} at level all whose span was still queued when the level went down (a lower level drops the queue)`,
      );
    }
  }
  if (facts.keptAfter > 0) out.push(`  · ${plural(facts.keptAfter, 'error report')} kept for the owner, not sent`);
  if (debug) out.push('  · CONSENTRY_DEBUG: the events, sessions and spans above were written to stderr, not sent');
  return out;
}

const plural = (count, noun, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`;

// As DebugSpanExporter writes them: OpenTelemetry's numeric status code; the rest has the shape receivedSpans gives.
const fromDebug = (span) => ({ ...span, status: { 1: 'ok', 2: 'error' }[span.status?.code] ?? 'ok' });

/** Spans as a tree: each root with its children, the first few shown, then a count of the rest. */
function spanTree(spans, about = []) {
  const out = [];
  const roots = spans.filter((candidate) => !candidate.parentSpanId);
  const names = (list) =>
    Object.entries(Object.groupBy(list, (span) => span.name))
      .map(([name, group]) => `${group.length} ${name}`)
      .join(', ');
  const childCount = spans.length - roots.length;
  out.push(
    `\n  ${paint('bold', `spans (${spans.length})`)}${spans.length ? `: ${names(roots)}${childCount ? `, and their ${childCount} children (${names(spans.filter((span) => span.parentSpanId))})` : ''}` : ''}`,
  );
  if (spans.length) out.push(...about);
  const children = new Map();
  for (const span of spans) {
    if (span.parentSpanId) children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
  }
  const describe = (span) => {
    const attributes = Object.entries(span.attributes)
      .filter(([name]) => !HIDDEN_ATTRIBUTES.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    const status = span.status === 'ok' ? [] : [span.status];
    const parts = [span.name, `${span.durationMs.toFixed(1)} ms`, ...status, ...(attributes ? [attributes] : [])];
    return highlightScrubbed(parts.join(' · '));
  };
  for (const span of roots.slice(0, SPANS_SHOWN)) {
    out.push(`   · ${describe(span)}`);
    for (const child of children.get(span.spanId) ?? []) out.push(paint('dim', `       └ ${describe(child)}`));
  }
  if (roots.length > SPANS_SHOWN) {
    const names = [...new Set(roots.slice(SPANS_SHOWN).map((span) => span.name))].join(', ');
    out.push(`   · … and ${roots.length - SPANS_SHOWN} more ${names} spans, each with its children`);
  }
  return out;
}

/** CONSENTRY_DEBUG: what would have been sent, read from the `would send` lines on stderr. */
function writtenInstead(debug, facts) {
  const out = [];
  const events = debug.events();
  out.push(
    `  ${debug.envelopes()} envelopes and ${debug.spans().length} spans, as "would send" JSON lines; nothing was sent`,
  );
  out.push(`\n  ${paint('bold', `events (${events.length})`)}`);
  events.forEach((event, index) => {
    const exception = event.exception?.values?.at(-1);
    const how = event.event_id === facts.sentEventId ? 'sent by hand by the owner' : 'at once';
    out.push(
      `   ${index + 1}. ${event.tags?.module} · ${event.tags?.handler ?? 'task'} · ${how} · ${event.release}`,
      highlightScrubbed(wrap(`${exception?.type}: ${exception?.value}`, '      ')),
    );
  });
  out.push(`\n  ${paint('bold', `sessions (${debug.sessions().length})`)}`);
  out.push(...spanTree(debug.spans().map(fromDebug)));
  return out;
}

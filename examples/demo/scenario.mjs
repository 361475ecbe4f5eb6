// The scripted scenario of the offline demo, step by step as an owner and a user would live it. It adapts to what the
// environment decides (DO_NOT_TRACK, CONSENTRY_LEVEL, CI…): it never does what the owner could not do. It records
// what each person saw (`steps`, for the report) and what happened (`facts`, for the checks).

import { COMMAND, SUITE } from '../acme-suite/telemetry.mjs';
import { startBot } from '../bot/bot.mjs';
import { receivedSpans } from './received-spans.mjs';
import { until } from './until.mjs';

const buttonId = (action) => `consentry:${action}:${SUITE}`;
const LOOP_ITERATIONS = 3;
// The bot's own handler logs `[bot] <what> failed: <error>` (examples/bot/bot.mjs).
const BOT_ERROR = /^\[bot\] (.+?) failed: ([\s\S]*)$/;
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Fills `transcript.steps` and `transcript.facts` as it goes, so a failure can still show how far it came. */
export async function playScenario(world, { log, transcript, updateEvery = 300 }) {
  const { discord, sentry, member, guildId } = world;
  const { steps, facts } = transcript;
  Object.assign(facts, { member, owner: discord.ownerId, guildId, token: discord.token, interactions: 0, messages: 0 });
  const step = (title) => {
    const entry = { title, lines: [] };
    steps.push(entry);
    return (kind, text, extra = {}) => entry.lines.push({ kind, text, ...extra });
  };
  const botErrors = () =>
    log.lines.flatMap((line) => {
      const match = line.level === 'error' ? BOT_ERROR.exec(line.text) : null;
      return match ? [{ what: match[1], error: match[2], text: line.text }] : [];
    });
  const interact = (init) => {
    facts.interactions++;
    return discord.interaction(init);
  };
  const slash = (subcommand, options, user) =>
    interact({
      type: 'command',
      command: COMMAND,
      subcommand,
      ...(options ? { options } : {}),
      ...(user ? { user } : {}),
    });
  // The answer with content: the reply, or the edit of a deferred reply (ephemeral if the deferral was).
  const answer = async (handle) => {
    const response = await handle.waitForResponse(
      (candidate) =>
        (candidate.kind === 'callback' && candidate.type !== 5) ||
        candidate.kind === 'editOriginal' ||
        candidate.kind === 'followUp',
    );
    return { ...response, ephemeral: response.ephemeral || handle.responses()[0]?.ephemeral === true };
  };
  const runFailingSync = async (user) => {
    const before = botErrors().length;
    const handle = interact({
      type: 'command',
      command: 'note',
      subcommand: 'sync',
      guildId,
      ...(user ? { user } : {}),
    });
    const reply = await answer(handle);
    await until(() => botErrors().length > before, 'the bot’s own handler to get the /note sync error');
    return { reply, raw: botErrors()[before].error };
  };

  // 1. The bot starts.
  let say = step('The bot starts: a plain discord.js bot loads acme-plugins’ modules status and notes');
  const bot = await startBot({
    token: discord.token,
    clientOptions: discord.clientOptions(),
    config: {
      dataDir: world.dir,
      updateUrl: world.updates.url,
      updateEvery,
      telemetry: { dsn: world.dsn, store: world.store(), logger: log.consentry },
    },
    log: log.bot,
  });
  facts.bot = bot;
  const { status, notes } = bot.modules;
  const telemetry = status.telemetry;
  await Promise.all([bot.registered, status.discord.idle()]);
  facts.start = await telemetry.consent.status();
  facts.migrated = status.settings.version === 2;
  say('info', `status ${status.version} and notes ${notes.version} loaded; the bot registered /note and /stats`);
  say('info', `status migrated its settings from version 1 to ${status.settings.version} (mod.migration)`);
  say('info', `level **${facts.start.level}** (${facts.start.source}): ${facts.start.reason}`);

  // 2. The master DM.
  say = step('The owner’s direct messages');
  facts.dm = discord.dms(facts.owner)[0];
  facts.buttons = buttonsOf(facts.dm);
  if (facts.dm) say('owner', facts.dm.content, { dm: true, buttons: facts.buttons.map((button) => button.label) });
  else say('info', 'no direct message was sent');
  if (!facts.dm && !['DO_NOT_TRACK', 'CONSENTRY_DISABLED'].includes(facts.start.source)) {
    throw new Error(
      'the owner got no direct message, though nothing in the environment forbids one (see the bot’s log)',
    );
  }

  // 3. The owner chooses.
  const has = (action) => facts.buttons.some((button) => button.id === buttonId(action));
  // How many loop runs had started when the level changed: consent tells its subscribers synchronously, right after
  // the tracer (subscribed first), so no run can start in between. A run is traced if it starts at level all.
  const runsWhenLevel = (level) => {
    let runs;
    const stop = telemetry.consent.subscribe((current) => {
      if (current.level === level) runs ??= status.updates.status().iterations;
    });
    return () => {
      stop();
      return runs ?? status.updates.status().iterations;
    };
  };
  const runsAtAll = runsWhenLevel('all');
  if (has('all')) {
    say = step('The owner presses [Errors + performance]');
    const reply = await answer(interact({ type: 'button', customId: buttonId('all'), message: facts.dm }));
    say('owner', reply.data.content, { ephemeral: reply.ephemeral });
  } else if (has('example')) {
    say = step(
      'The owner cannot choose (the level is decided elsewhere) and presses [Show an example of what is sent]',
    );
    const reply = await answer(interact({ type: 'button', customId: buttonId('example'), message: facts.dm }));
    say('owner', reply.data.content, { ephemeral: reply.ephemeral, files: reply.files });
  }
  facts.levelDuringRun = (await telemetry.consent.status()).level;
  facts.loopBefore = runsAtAll(); // the last of them may still be running: it started before the choice, untraced
  const reporting = facts.levelDuringRun === 'errors' || facts.levelDuringRun === 'all';

  // 4. The update loop: it keeps running on its own; the scenario waits for 3 runs after the choice, between two runs
  // (none in flight), so that runs and requests are counted at the same moment.
  const idleLoop = (runs) => () => {
    const { iterations, running } = status.updates.status();
    return iterations >= runs && !running;
  };
  say = step(`The update loop runs every ${updateEvery} ms; the scenario waits for ${LOOP_ITERATIONS} more runs`);
  await until(idleLoop(facts.loopBefore + LOOP_ITERATIONS), `${LOOP_ITERATIONS} runs of the update loop`);
  facts.loopCount = { runs: status.updates.status().iterations, requests: world.updates.hits() };
  const since = facts.loopCount.runs - facts.loopBefore;
  const split = facts.start.locked
    ? `all at level ${facts.levelDuringRun}`
    : `${facts.loopBefore} before the owner’s choice, at ${facts.start.level}; ${since} since, at ${facts.levelDuringRun}`;
  say(
    'info',
    `${plural(facts.loopCount.runs, 'run')} so far (${split}), one request each: ` +
      `${plural(facts.loopCount.requests, 'request')} to the update endpoint so far. ` +
      `Latest version ${status.lastCheck()?.latest} (we run ${status.version}).`,
  );

  // 5. A user runs the failing command.
  say = step('A user runs /note sync; it fails');
  const first = await runFailingSync(member);
  facts.userReply = first.reply;
  facts.rawError = first.raw;
  say('user', first.reply.data.content, { ephemeral: first.reply.ephemeral });
  say('raw', `the error, as thrown (it stays in the bot’s own log): ${first.raw}`);

  // 6. The notes listener fails, and so does the bot's own command.
  say = step(
    'A user posts "note: water the plants" (the quick-notes listener fails), then runs the bot’s own /stats (it fails too)',
  );
  const errorsBefore = botErrors().length;
  facts.messages++;
  discord.message({ author: member, content: 'note: water the plants', guildId });
  interact({ type: 'command', command: 'stats', user: member, guildId });
  await until(() => botErrors().length >= errorsBefore + 2, 'the bot’s own handler to get both errors');
  facts.hostError = botErrors().find((line) => line.what === '/stats')?.error;
  say(
    'info',
    'the user sees no reply to the message (a listener has no one to answer), and none to /stats: the bot’s own handler only logs its errors',
  );
  for (const line of botErrors().slice(errorsBefore))
    say('raw', `the bot’s own handler: ${line.text.replace('[bot] ', '')}`);

  // 7. The owner looks at the status.
  say = step(`The owner runs /${COMMAND} status`);
  const statusReply = await answer(slash('status'));
  say('owner', embedText(statusReply.data.embeds?.[0]), { ephemeral: statusReply.ephemeral });

  // What was sent while reports were on must have left before the level goes down (a lower level drops the queue).
  // With CONSENTRY_DEBUG it is written to stderr instead, at the same moments.
  const debug = world.debug;
  if (reporting && (sentry || debug)) {
    const events = () => (debug ? debug.events() : sentry.events()).length;
    await until(() => events() >= 2, debug ? 'the two errors on stderr' : 'Sentry to receive the two errors');
  }
  if (facts.levelDuringRun === 'all') {
    // Spans leave in 5-second batches; flush() sends them now (between two runs of the loop), before the lower level
    // would drop them.
    await until(idleLoop(0), 'the update loop between two runs');
    facts.loopAtFlush = status.updates.status().iterations;
    await telemetry.flush(5_000);
    const spans = () => (debug ? loopSpansIn(debug.spans()) : sentry ? loopSpans(sentry) : undefined);
    if (spans()) await until(() => spans().length >= LOOP_ITERATIONS, 'the loop’s spans', 15_000);
  }
  facts.receivedAtSwitch = { events: (debug ? debug.events() : (sentry?.events() ?? [])).length };

  // 8. The owner switches to manual.
  const runsAtManual = runsWhenLevel('manual');
  if (has('manual')) {
    say = step('The owner changes their mind and presses [Keep it off] in the same DM');
    const reply = await answer(interact({ type: 'button', customId: buttonId('manual'), message: facts.dm }));
    say('owner', reply.data.content, { ephemeral: reply.ephemeral });
  } else {
    say = step(`The owner tries to turn reports off with /${COMMAND} disable`);
    const reply = await answer(slash('disable'));
    say('owner', reply.data.content, { ephemeral: reply.ephemeral });
  }
  facts.levelAtEnd = (await telemetry.consent.status()).level;
  facts.loopAtSwitch = runsAtManual();

  // 9. The command fails again, for the owner this time.
  say = step('The owner runs /note sync; it fails again');
  const second = await runFailingSync();
  facts.ownerReply = second.reply;
  say('owner', second.reply.data.content, { ephemeral: second.reply.ephemeral });
  facts.code = /send code:([0-9A-Z]{6})/.exec(String(second.reply.data.content))?.[1];

  // 10. The owner previews and sends that report.
  if (facts.code) {
    await until(() => telemetry.reports.list().some((report) => report.code === facts.code), 'the kept report');
    say = step(`The owner previews report ${facts.code}, then sends it`);
    const preview = await answer(slash('preview', { code: facts.code }));
    facts.preview = preview.files[0]?.data.toString('utf8');
    say('owner', preview.data.content, { ephemeral: preview.ephemeral, files: preview.files });
    const sent = await answer(slash('send', { code: facts.code }));
    say('owner', sent.data.content, { ephemeral: sent.ephemeral });
    facts.sentEventId = /event `([0-9a-f]{32})`/.exec(String(sent.data.content))?.[1];
    if (sentry && facts.sentEventId && !debug) {
      await sentry.waitFor('event', (event) => event.event_id === facts.sentEventId);
    }
  } else {
    say = step('Nothing to preview or send by hand');
    say('info', `the second error was not kept for the owner (level ${facts.levelAtEnd})`);
  }
  facts.keptAfter = telemetry.reports.list().length;
  facts.botErrors = botErrors();

  // 11. The bot stops: sessions end, what may still be sent is flushed.
  say = step('The bot stops (as on Ctrl-C): modules unload, the telemetry shuts down');
  facts.loopTotal = status.updates.status().iterations;
  await bot.stop();
  const { failures } = status.updates.status();
  const parts = facts.start.locked
    ? []
    : [
        `${facts.loopBefore} before the owner’s choice`,
        `${facts.loopAtSwitch - facts.loopBefore} at level ${facts.levelDuringRun}`,
        `${facts.loopTotal - facts.loopAtSwitch} after the switch to ${facts.levelAtEnd}`,
      ];
  say(
    'info',
    `update loop: ${plural(facts.loopTotal, 'run')} in all${parts.length ? ` (${parts.join(', ')})` : ''}, ${failures} failed`,
  );
}

function buttonsOf(message) {
  return (message?.components ?? []).flatMap((row) =>
    (row.components ?? []).map((button) => ({ id: button.custom_id, label: button.label })),
  );
}

function embedText(embed) {
  if (!embed) return '(no embed)';
  const fields = (embed.fields ?? []).map((field) => `${field.name}: ${field.value}`);
  return [`**${embed.title}**`, embed.description, ...fields].join('\n');
}

/** The loop's own spans (one per run; their children are not counted), as received or as written by debug. */
export function loopSpansIn(spans) {
  return spans.filter((span) => span.attributes['consentry.kind'] === 'loop' && !span.parentSpanId);
}

export function loopSpans(sentry) {
  return loopSpansIn(receivedSpans(sentry));
}

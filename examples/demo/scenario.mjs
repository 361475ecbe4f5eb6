// The scripted scenario of the offline demo, step by step as an owner and a user would live it. It adapts to what the
// environment decides (DO_NOT_TRACK, CONSENTRY_LEVEL, CI…): it never does what the owner could not do. It records
// what each person saw (`steps`, for the report) and what happened (`facts`, for the checks).

import { COMMAND, SUITE } from '../acme-suite/telemetry.mjs';
import { startBot } from '../bot/bot.mjs';
import { receivedSpans } from './received-spans.mjs';
import { until } from './until.mjs';

const buttonId = (action) => `consentry:${action}:${SUITE}`;
const LOOP_ITERATIONS = 3;
// Spans leave in batches every 5 s; without a fake Sentry to watch, the demo waits for one batch.

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
  const botErrors = () => log.lines.filter((line) => line.text.startsWith('[bot] a listener failed:'));
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
    return { reply, raw: botErrors()[before].text.replace('[bot] a listener failed: ', '') };
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
  facts.loopBefore = status.updates.status().iterations; // one of them may be running: it started before the choice
  const reporting = facts.levelDuringRun === 'errors' || facts.levelDuringRun === 'all';

  // 4. The update loop.
  say = step(`The update loop runs ${LOOP_ITERATIONS} times (every ${updateEvery} ms)`);
  await until(
    () => status.updates.status().iterations >= facts.loopBefore + LOOP_ITERATIONS + 1,
    `${LOOP_ITERATIONS} iterations of the update loop`,
  );
  say(
    'info',
    `latest version ${status.lastCheck()?.latest} (we run ${status.version}); ${world.updates.hits()} requests to the update endpoint so far`,
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
  facts.hostError = botErrors()
    .find((line) => line.text.includes("reading 'ping'"))
    ?.text.replace('[bot] a listener failed: ', '');
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
  if (reporting && sentry && !world.debug) {
    await until(() => sentry.events().length >= 2, 'Sentry to receive the two errors');
  }
  if (facts.levelDuringRun === 'all' && !world.debug) {
    // Spans leave in 5-second batches; flush() sends them now, before the lower level would drop them.
    await telemetry.flush(5_000);
    if (sentry) await until(() => loopSpans(sentry).length >= LOOP_ITERATIONS, 'the loop’s spans', 15_000);
  }
  facts.receivedAtSwitch = sentry ? { events: sentry.events().length, requests: sentry.requests().length } : undefined;

  // 8. The owner switches to manual.
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
  facts.loopAtSwitch = status.updates.status().iterations;

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
    if (sentry && facts.sentEventId && !world.debug) {
      await sentry.waitFor('event', (event) => event.event_id === facts.sentEventId);
    }
  } else {
    say = step('Nothing to preview or send by hand');
    say('info', `the second error was not kept for the owner (level ${facts.levelAtEnd})`);
  }
  facts.keptAfter = telemetry.reports.list().length;
  facts.botErrors = botErrors().map((line) => line.text.replace('[bot] a listener failed: ', ''));

  // 11. The bot stops: sessions end, what may still be sent is flushed.
  say = step('The bot stops (as on Ctrl-C): modules unload, the telemetry shuts down');
  facts.loopTotal = status.updates.status().iterations;
  await bot.stop();
  say('info', `update loop: ${facts.loopTotal} iterations in all, ${status.updates.status().failures} failed`);
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

export function loopSpans(sentry) {
  return receivedSpans(sentry).filter((span) => span.attributes['consentry.kind'] === 'loop');
}

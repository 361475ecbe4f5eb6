// Errors in a module's command and listener handlers at each level: what the user sees, what an owner sees, what
// Sentry receives, and that the bot's own error handling still gets every error.
import { type Client, version as discordJsVersion, type Interaction, MessageFlags, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { ConsentLevel } from '../../src/index.js';
import type { FakeDiscord, InteractionResponse } from '../../src/testing/index.js';
import { type Bot, COMMAND, type World, world } from './support.js';

const ERROR_REPLY = 'Sorry, something went wrong while running this command.';
const GUILD_ID_IN_MESSAGE = '81384788765712384';

interface Harness {
  world: World;
  bot: Bot;
  /** What reached the bot's own `error` listener. */
  botErrors: unknown[];
  thrown: Error[];
  member: string;
  guildId: string;
}

/** A bot whose `status` module has a `/roll` command that fails, and whose own `error` listener records errors. */
async function harness(
  level: ConsentLevel | undefined,
  options: { reportUserErrors?: boolean } = {},
): Promise<Harness> {
  const created = await world();
  const bot = await created.start({ modules: ['status', 'notes'], attach: options });
  if (level) await bot.telemetry.consent.set(level, { by: 'owner:test' });
  await bot.telemetry.consent.status();
  const botErrors: unknown[] = [];
  const thrown: Error[] = [];
  bot.client.on('error', (error) => botErrors.push(error));
  bot.client.on(
    'interactionCreate',
    bot.modules.status?.command(async (interaction: Interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'roll') return;
      if (interaction.options.getSubcommand(false) === 'slow') await interaction.deferReply();
      const error = new Error(`the dice fell off the table in guild ${GUILD_ID_IN_MESSAGE}`);
      thrown.push(error);
      throw error;
    }) as (interaction: Interaction) => Promise<void>,
  );
  const member = String(created.discord.addUser({ username: 'member' }).id);
  const guildId = String(created.discord.guilds()[0]?.id);
  return { world: created, bot, botErrors, thrown, member, guildId };
}

function roll(discord: FakeDiscord, user?: string, guildId?: string, subcommand?: string) {
  return discord.interaction({
    type: 'command',
    command: 'roll',
    ...(subcommand ? { subcommand } : {}),
    ...(user ? { user } : {}),
    ...(guildId ? { guildId } : {}),
  });
}

async function userSees(discord: FakeDiscord, user?: string, guildId?: string): Promise<InteractionResponse> {
  return roll(discord, user, guildId).callback();
}

describe('an error in mod.command() at each level', () => {
  it('manual: the user gets a short ephemeral reply, an owner also the send instructions; nothing is sent', async () => {
    const { world, bot, botErrors, thrown, member, guildId } = await harness(undefined);
    const { discord, sentry } = world;

    const seenByMember = await userSees(discord, member, guildId);
    expect(seenByMember).toMatchObject({ ephemeral: true, data: { content: ERROR_REPLY } });

    const seenByOwner = await userSees(discord);
    expect(seenByOwner.ephemeral).toBe(true);
    const [newest] = bot.telemetry.reports.list();
    expect(newest?.module).toBe('status');
    const content = String(seenByOwner.data.content);
    expect(content.startsWith(`${ERROR_REPLY}\n\n**For owners:**`)).toBe(true);
    expect(content).toContain(`/${COMMAND} send code:${newest?.code}`);
    expect(content).toContain(`/${COMMAND} preview code:${newest?.code}`);
    expect(content).toContain(`/${COMMAND} hint state:off`);

    await expect.poll(() => botErrors.length).toBe(2);
    expect(botErrors).toEqual(thrown);
    expect(botErrors[0]).toBe(thrown[0]);
    await bot.stop();
    expect(sentry.requests()).toEqual([]);
  });

  it('manual with the hint off: an owner sees only the short reply', async () => {
    const { world, bot } = await harness(undefined);
    await bot.telemetry.consent.status();
    const hint = world.discord.interaction({
      type: 'command',
      command: COMMAND,
      subcommand: 'hint',
      options: { state: 'off' },
    });
    await hint.callback();
    expect((await userSees(world.discord)).data.content).toBe(ERROR_REPLY);
    expect(bot.telemetry.reports.list()).toHaveLength(1);
  });

  it('errors: the scrubbed event of that module reaches Sentry with the discord.js tags; an owner is told', async () => {
    const { world, bot, botErrors, member, guildId } = await harness('errors');
    const { discord, sentry } = world;

    expect((await userSees(discord, member, guildId)).data.content).toBe(ERROR_REPLY);
    const seenByOwner = String((await userSees(discord)).data.content);
    expect(seenByOwner).toContain('this error was reported to the developers of **acme-plugins**');

    await expect.poll(() => sentry.events().length).toBe(2);
    const [event] = sentry.events();
    expect(event?.release).toBe('acme-plugins|status@1.0.0');
    expect(event?.tags).toMatchObject({
      handler: 'command',
      'discord.js': discordJsVersion,
      'discord.interaction': 'command',
      'discord.command': 'roll',
      module: 'status',
    });
    expect(event?.exception?.values?.[0]?.value).toMatch(/in guild \[SHORTENED-ID-\d{4}\]$/);
    expect(sentry.received()).not.toContain(GUILD_ID_IN_MESSAGE);
    await expect.poll(() => botErrors.length).toBe(2);
    expect(bot.telemetry.reports.list()).toEqual([]);
  });

  it('all: as errors, and the command’s span is dropped while a background task’s span is sent', async () => {
    const { world, bot } = await harness('all');
    const { discord, sentry } = world;
    await userSees(discord);
    await bot.modules.status?.task('check-updates', () => 'done');
    await sentry.waitFor('event');
    await bot.stop();
    expect(sentry.spans().map((span) => span.name)).toEqual(['check-updates']);
  });

  it('off: the user gets the short reply, the bot’s handler gets the error, nothing is kept or sent', async () => {
    const { world, bot, botErrors } = await harness('off');
    expect((await userSees(world.discord)).data.content).toBe(ERROR_REPLY);
    await expect.poll(() => botErrors.length).toBe(1);
    expect(bot.telemetry.reports.list()).toEqual([]);
    await bot.stop();
    expect(world.sentry.requests()).toEqual([]);
  });

  it('a handler that deferred its reply: the error comes as an ephemeral follow-up', async () => {
    const { world, botErrors, member, guildId } = await harness('errors');
    const handle = roll(world.discord, member, guildId, 'slow');
    const followUp = await handle.waitForResponse((response) => response.kind === 'followUp');
    expect(handle.responses()[0]).toMatchObject({ kind: 'callback', type: 5 });
    expect(followUp.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(followUp.data.content).toBe(ERROR_REPLY);
    await expect.poll(() => botErrors.length).toBe(1);
  });
});

/** Adds a `/post` command to `status` that posts in a channel, which the test makes Discord refuse. */
function addPostCommand(bot: Bot, channelId: string) {
  bot.client.on(
    'interactionCreate',
    bot.modules.status?.command(async (interaction: Interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'post') return;
      await (interaction.client as Client).rest.post(Routes.channelMessages(channelId), { body: { content: 'hi' } });
    }) as (interaction: Interaction) => Promise<void>,
  );
}

describe('errors on the user’s or Discord’s side', () => {
  it('missing permissions (50013) is not reported; the user is told; the bot still gets it', async () => {
    const { world, bot, botErrors } = await harness('errors');
    const { discord, sentry } = world;
    const channelId = String(discord.guilds()[0]?.channels[0]?.id);
    addPostCommand(bot, channelId);
    discord.failNext({ path: '/channels/:id/messages', status: 403, code: 50013 });
    const reply = await discord.interaction({ type: 'command', command: 'post' }).callback();
    expect(reply.data.content).toBe('Sorry, the bot is missing a permission it needs for this here.');
    await expect.poll(() => botErrors.length).toBe(1);
    expect(botErrors[0]).toMatchObject({ code: 50013 });
    await bot.stop();
    expect(sentry.events()).toEqual([]);
  });

  it('reportUserErrors: true reports them too', async () => {
    const { world, bot } = await harness('errors', { reportUserErrors: true });
    const { discord, sentry } = world;
    addPostCommand(bot, String(discord.guilds()[0]?.channels[0]?.id));
    discord.failNext({ path: '/channels/:id/messages', status: 403, code: 50013 });
    await discord.interaction({ type: 'command', command: 'post' }).callback();
    const event = await sentry.waitFor('event');
    expect(event.exception?.values?.[0]?.type).toBe('DiscordAPIError[50013]');
  });
});

describe('only the module’s own errors', () => {
  it('the bot’s own listener errors are not received; another module’s listener errors carry its own release', async () => {
    const { world, bot, botErrors } = await harness('errors');
    const { discord, sentry } = world;
    const hostError = new Error('the host bot broke');
    bot.client.on('interactionCreate', async (interaction) => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'ping') throw hostError;
    });
    const vote = new Error('vote failed');
    bot.client.on(
      'interactionCreate',
      bot.modules.notes?.listener(async (interaction: Interaction) => {
        if (interaction.isButton() && interaction.customId === 'notes:vote') throw vote;
      }) as (interaction: Interaction) => Promise<void>,
    );

    discord.interaction({ type: 'command', command: 'ping' });
    await expect.poll(() => botErrors).toContain(hostError);
    const reply = await discord.interaction({ type: 'button', customId: 'notes:vote' }).callback();
    expect(reply.data.content).toContain(ERROR_REPLY);
    await expect.poll(() => botErrors).toContain(vote);

    await bot.stop();
    expect(sentry.events().map((event) => [event.release, event.exception?.values?.[0]?.value])).toEqual([
      ['acme-plugins|notes@1.0.0', 'vote failed'],
    ]);
    expect(sentry.received()).not.toContain('the host bot broke');
  });

  it('a rejection hook the bot installed on the client still gets the error, with the event and interaction', async () => {
    const { world, bot, thrown } = await harness('errors');
    const seen: unknown[][] = [];
    const client = bot.client as unknown as Record<symbol, unknown>;
    client[Symbol.for('nodejs.rejection')] = (error: unknown, event: string, interaction: Interaction) => {
      seen.push([error, event, interaction.id]);
    };
    const handle = roll(world.discord);
    await handle.callback();
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual([thrown[0], 'interactionCreate', handle.id]);
  });
});

describe('the same error object thrown again', () => {
  it('is reported and shown each time, but once when it passes through nested wrappers', async () => {
    const { world, bot, botErrors } = await harness('errors');
    const { discord, sentry } = world;
    const reused = new Error('always the same error');
    const status = bot.modules.status;
    const notes = bot.modules.notes;
    if (!status || !notes) throw new Error('modules missing');
    bot.client.on(
      'interactionCreate',
      notes.listener(
        status.command(async (interaction: Interaction) => {
          if (interaction.isChatInputCommand() && interaction.commandName === 'again') throw reused;
        }),
      ) as (interaction: Interaction) => Promise<void>,
    );
    for (let round = 1; round <= 2; round++) {
      const handle = discord.interaction({ type: 'command', command: 'again' });
      expect((await handle.callback()).data.content).toContain(ERROR_REPLY);
      await expect.poll(() => botErrors.length).toBe(round);
      expect(handle.responses()).toHaveLength(1);
    }
    await expect.poll(() => sentry.events().length).toBe(2);
    expect(sentry.events().map((event) => event.release)).toEqual([
      'acme-plugins|status@1.0.0',
      'acme-plugins|status@1.0.0',
    ]);
  });
});

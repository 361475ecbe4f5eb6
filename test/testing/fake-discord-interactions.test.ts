// Interactions pushed by FakeDiscord reach a real Client; its replies, defers, follow-ups and updates are recorded.
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  Events,
  type Interaction,
  MessageFlags,
  Routes,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { readyClient } from './fake-discord-helpers.js';

function nextInteraction(client: import('discord.js').Client): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

describe('FakeDiscord interactions', () => {
  it('delivers a slash command with subcommand and options, and records an ephemeral reply (flag 64)', async () => {
    const { discord, client } = await readyClient();
    const [guild] = discord.guilds();
    const seen: Record<string, unknown>[] = [];
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push({
        command: interaction.commandName,
        subcommand: interaction.options.getSubcommand(),
        level: interaction.options.getString('level'),
        days: interaction.options.getInteger('days'),
        verbose: interaction.options.getBoolean('verbose'),
        guildId: interaction.guildId,
        userId: interaction.user.id,
      });
      await interaction.reply({ content: 'Telemetry enabled.', flags: MessageFlags.Ephemeral });
    });

    const handle = discord.interaction({
      type: 'command',
      guildId: guild?.id,
      command: 'acme-telemetry',
      subcommand: 'enable',
      options: { level: 'all', days: 7, verbose: true },
    });
    const callback = await handle.callback();

    expect(seen).toEqual([
      {
        command: 'acme-telemetry',
        subcommand: 'enable',
        level: 'all',
        days: 7,
        verbose: true,
        guildId: guild?.id,
        userId: discord.ownerId,
      },
    ]);
    expect(callback).toMatchObject({ kind: 'callback', type: 4, flags: 64, ephemeral: true });
    expect(callback.data.content).toBe('Telemetry enabled.');
    expect(discord.interactionResponses(handle.id)).toEqual([callback]);
    const request = discord.requests({ path: '/interactions/:id/:token/callback' })[0];
    expect(request?.path).toBe(`/interactions/${handle.id}/${handle.token}/callback`);
    expect(request?.auth).toBeNull();
  });

  it('gives every interaction its own id and token', () => {
    return readyClient().then(({ discord }) => {
      const first = discord.interaction({ type: 'command', command: 'a' });
      const second = discord.interaction({ type: 'command', command: 'a' });
      expect(first.id).not.toBe(second.id);
      expect(first.token).not.toBe(second.token);
    });
  });

  it('records deferReply, followUp and editReply in order, and edits the original message', async () => {
    const { discord, client } = await readyClient();
    const done = new Promise<void>((resolve, reject) => {
      client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        try {
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          const followUp = await interaction.followUp({ content: 'step 1 done', flags: MessageFlags.Ephemeral });
          const edited = await interaction.editReply({ content: 'all done' });
          expect(followUp.content).toBe('step 1 done');
          expect(edited.content).toBe('all done');
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });

    const handle = discord.interaction({ type: 'command', command: 'acme-telemetry', subcommand: 'status' });
    await done;
    const responses = handle.responses();
    expect(responses.map((response) => [response.kind, response.type])).toEqual([
      ['callback', 5],
      ['followUp', null],
      ['editOriginal', null],
    ]);
    expect(responses[0]?.ephemeral).toBe(true);
    expect(responses[1]?.data.content).toBe('step 1 done');
    const original = discord
      .messages(handle.payload.channel_id as string)
      .find((m) => m.id === responses[0]?.messageId);
    expect(original?.content).toBe('all done');
    expect(original?.edits).toBe(1);
    // The loading flag of a deferred reply is cleared by the edit; the ephemeral flag stays.
    expect(original?.flags).toBe(64);
    expect(original?.interactionId).toBe(handle.id);
  });

  it('lets a button in a DM the bot sent be clicked, and records update() as callback type 7 editing that DM', async () => {
    const { discord, client } = await readyClient();
    const owner = await client.users.fetch(discord.ownerId);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('consent:errors').setLabel('Errors only').setStyle(ButtonStyle.Primary),
    );
    await owner.send({ content: 'May we send error reports?', components: [row] });
    const [notice] = discord.dms(discord.ownerId);
    expect(notice?.components).toHaveLength(1);

    const clicked = new Promise<{ customId: string; inDm: boolean; messageId: string }>((resolve, reject) => {
      client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isButton()) return;
        try {
          await interaction.update({ content: 'Thanks: errors only.', components: [] });
          resolve({ customId: interaction.customId, inDm: !interaction.inGuild(), messageId: interaction.message.id });
        } catch (error) {
          reject(error);
        }
      });
    });
    const handle = discord.interaction({ type: 'button', customId: 'consent:errors', message: notice });
    const callback = await handle.callback();

    expect(await clicked).toEqual({ customId: 'consent:errors', inDm: true, messageId: notice?.id });
    expect(callback).toMatchObject({ kind: 'callback', type: 7, messageId: notice?.id });
    const [updated] = discord.dms(discord.ownerId);
    expect(updated?.content).toBe('Thanks: errors only.');
    expect(updated?.components).toEqual([]);
    expect(handle.payload.user).toMatchObject({ id: discord.ownerId });
    expect(handle.payload.member).toBeUndefined();
  });

  it('types options from a registered command (a USER option resolves to a User)', async () => {
    const { discord, client } = await readyClient({ users: [{ id: '555555555555555555', username: 'target' }] });
    await client.application.commands.create({
      name: 'inspect',
      description: 'Inspect a user',
      options: [{ type: ApplicationCommandOptionType.User, name: 'who', description: 'user', required: true }],
    });
    const received = nextInteraction(client);
    discord.interaction({ type: 'command', command: 'inspect', options: { who: '555555555555555555' } });
    const interaction = (await received) as ChatInputCommandInteraction;
    expect(interaction.commandId).toBe(discord.commands()[0]?.id);
    expect(interaction.options.getUser('who')?.username).toBe('target');
  });

  it('refuses a second callback with 40060 and an unknown interaction with 10062', async () => {
    const { discord, client } = await readyClient();
    const handle = discord.interaction({ type: 'command', command: 'x' });
    const route = Routes.interactionCallback(handle.id, handle.token);
    await client.rest.post(route, { body: { type: 4, data: { content: 'one' } }, auth: false });
    const second = client.rest.post(route, { body: { type: 4, data: { content: 'two' } }, auth: false });
    await expect(second).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(second).rejects.toMatchObject({ code: 40060, status: 400 });
    const unknown = client.rest.post(Routes.interactionCallback('1', 'nope'), { body: { type: 4 }, auth: false });
    await expect(unknown).rejects.toMatchObject({ code: 10062, status: 404 });
    expect(handle.responses()).toHaveLength(1);
  });

  it('pushes MESSAGE_CREATE from a user into a guild channel', async () => {
    const { GatewayIntentBits } = await import('discord.js');
    const { discord, client } = await readyClient(
      {},
      {
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      },
    );
    const [guild] = discord.guilds();
    const received = new Promise<{ content: string; author: string; guild: string | null }>((resolve) =>
      client.once(Events.MessageCreate, (message) =>
        resolve({ content: message.content, author: message.author.id, guild: message.guildId }),
      ),
    );
    const stored = discord.message({ guildId: guild?.id, content: 'hello bot' });
    expect(await received).toEqual({ content: 'hello bot', author: discord.ownerId, guild: guild?.id ?? null });
    expect(discord.messages(stored.channelId).map((message) => message.content)).toEqual(['hello bot']);
  });
});

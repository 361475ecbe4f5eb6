// attachDiscord's options and lifecycle: bad input names the option and the fix; an inert telemetry; detach().
import { Client, GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { attachDiscord } from '../../src/discord/index.js';
import { createTelemetry, fileStore, memoryStore } from '../../src/index.js';
import { captureLogger } from '../support/logger.js';
import { COMMAND, SUITE, world } from './support.js';

describe('attachDiscord options', () => {
  const telemetry = createTelemetry({ suite: 'acme-plugins', store: memoryStore(), logger: captureLogger(), env: {} });
  const client = new Client({ intents: [GatewayIntentBits.Guilds] });

  it.each([
    [{ command: 'Acme Telemetry' }, /option `command` must be 1-32 lower-case letters.*got "Acme Telemetry"/],
    [{ command: 'acme', ownerRoles: ['owner'] }, /option `ownerRoles` must be a list of admin, developer, read_only/],
    [{ command: 'acme', extraOwnerIds: [12345] }, /option `extraOwnerIds` must be a list of Discord user ids/],
    [{ command: 'acme', fallbackChannelId: 'general' }, /option `fallbackChannelId` must be a Discord channel id/],
    [{ command: 'acme', reportUserErrors: 'yes' }, /option `reportUserErrors` must be true or false/],
  ])('%j is refused with a message naming the option', (options, message) => {
    expect(() => attachDiscord(telemetry, client, options as never)).toThrow(message);
  });

  it('names every wrong option at once, and refuses something that is not a client', () => {
    expect(() => attachDiscord(telemetry, client, { command: '', fallbackChannelId: 'x' })).toThrow(
      /`command`.* Also, option `fallbackChannelId`/,
    );
    expect(() => attachDiscord(telemetry, {} as never, { command: 'acme' })).toThrow(
      /client must be a discord.js Client/,
    );
  });
});

describe('lifecycle', () => {
  it('a telemetry with invalid options: attachDiscord does nothing (no command, no DM)', async () => {
    const { discord, start } = await world();
    const bot = await start();
    const broken = createTelemetry({ suite: 'not a valid suite!', logger: captureLogger() });
    const attachment = attachDiscord(broken, bot.client, { command: 'broken-telemetry' });
    await attachment.idle();
    expect(await attachment.owners()).toEqual([]);
    expect(discord.commands().map((command) => command.name)).toEqual([COMMAND]);
  });

  it('attached to a client that is already ready: registers and notifies at once', async () => {
    const { discord, start } = await world();
    const host = await start({ attach: { command: 'other-telemetry', registerCommand: false } });
    host.attachment.detach();
    const again = attachDiscord(host.telemetry, host.client, { command: COMMAND });
    await again.idle();
    expect(discord.commands().map((command) => command.name)).toEqual([COMMAND]);
    expect(await again.owners()).toEqual([discord.ownerId]);
  });

  it('detach(): consentry stops listening; the bot’s own listeners answer alone', async () => {
    const { discord, start } = await world();
    const bot = await start();
    const listeners = bot.client.listenerCount('interactionCreate');
    bot.attachment.detach();
    expect(bot.client.listenerCount('interactionCreate')).toBe(listeners - 1);
    bot.client.on('interactionCreate', async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply('the bot answers');
    });
    const handle = discord.interaction({ type: 'command', command: COMMAND, subcommand: 'enable' });
    expect((await handle.callback()).data.content).toBe('the bot answers');
    expect((await bot.telemetry.consent.status()).source).toBe('default');
  });
});

describe('two telemetries of one suite on one client (each plugin created its own)', () => {
  it('one of them answers the command; they share the run, so no extra notice', async () => {
    const { discord, sentry, dir, start } = await world();
    const bot = await start({ modules: ['status'] });
    const secondLogger = captureLogger();
    const second = createTelemetry({
      suite: SUITE,
      dsn: sentry.dsn,
      store: fileStore({ dir }),
      logger: secondLogger,
      env: {},
    });
    try {
      second.module({ name: 'polls', version: '1.0.0' });
      const other = attachDiscord(second, bot.client, { command: COMMAND });
      await other.idle();
      expect(discord.dms(discord.ownerId)).toHaveLength(1);

      const handle = discord.interaction({ type: 'command', command: COMMAND, subcommand: 'enable' });
      await handle.callback();
      await Promise.all([bot.attachment.idle(), other.idle()]);
      await expect.poll(async () => (await second.consent.status()).level).toBe('all');
      expect(handle.responses()).toHaveLength(1);
      // Had both answered, the second would have found the interaction answered and logged it.
      expect([...bot.logger.at('warn'), ...secondLogger.at('warn')]).toEqual([]);
      expect(discord.requests({ path: '/interactions/:id/:token/callback' }).map((r) => r.status)).toEqual([204]);

      // The first one detaches: the second takes over answering.
      bot.attachment.detach();
      const next = discord.interaction({ type: 'command', command: COMMAND, subcommand: 'disable' });
      expect((await next.callback()).data.content).toContain('is now **off**');
      other.detach();
    } finally {
      await second.shutdown();
    }
  });
});

// The suite's slash command against a real discord.js Client: registration, every subcommand, owners only.
import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, FakeInteractionHandle, InteractionResponse } from '../../src/testing/index.js';
import { COMMAND, internals, SUITE, world } from './support.js';

function run(discord: FakeDiscord, subcommand: string, options?: Record<string, string>, user?: string) {
  return discord.interaction({
    type: 'command',
    command: COMMAND,
    subcommand,
    ...(options ? { options } : {}),
    ...(user ? { user } : {}),
  });
}

/** The answer that carries content: the reply, or the edit of a deferred reply. */
async function answer(handle: FakeInteractionHandle): Promise<InteractionResponse> {
  return handle.waitForResponse(
    (response) => (response.kind === 'callback' && response.type === 4) || response.kind === 'editOriginal',
  );
}

async function content(handle: FakeInteractionHandle): Promise<string> {
  return String((await answer(handle)).data.content);
}

describe('registration', () => {
  it('upserts the command with create, usable in DMs, and leaves the bot’s other commands alone', async () => {
    const { discord, start } = await world();
    const bot = await start();
    await bot.client.application.commands.create({ name: 'ping', description: 'Ping' });
    await bot.stop();
    await start();

    expect(discord.requests({ method: 'PUT', path: '/applications/:app/commands' })).toEqual([]);
    const names = discord.commands().map((command) => command.name);
    expect(names.sort()).toEqual([COMMAND, 'ping']);
    const ours = discord.commands().find((command) => command.name === COMMAND);
    expect(ours?.contexts).toEqual([0, 1]);
    const options = (ours?.options ?? []) as Array<{ name: string; type: number }>;
    expect(options.map((option) => option.name)).toEqual([
      'status',
      'enable',
      'disable',
      'send',
      'preview',
      'hint',
      'forget',
      'sent',
    ]);
    expect(options.every((option) => option.type === ApplicationCommandOptionType.Subcommand)).toBe(true);
  });

  it('registerCommand: false registers nothing', async () => {
    const { discord, start } = await world();
    await start({ attach: { registerCommand: false } });
    expect(discord.commands()).toEqual([]);
  });
});

describe('subcommands (owner, in the bot’s DMs)', () => {
  it('status: an ephemeral embed with the level, its source and reason, the ids, modules and policy version', async () => {
    const { discord, start } = await world();
    const bot = await start({ modules: ['status', 'notes'] });
    const { userId } = await bot.telemetry.consent.status();
    const reply = await answer(run(discord, 'status'));

    expect(reply.ephemeral).toBe(true);
    const [embed] = reply.data.embeds as Array<{
      title: string;
      description: string;
      fields: Array<{ name: string; value: string }>;
    }>;
    expect(embed?.title).toBe(`${SUITE}: error reports and telemetry`);
    expect(embed?.description).toContain("No one has chosen yet, so the level is 'manual'");
    const field = (name: string) => embed?.fields.find((f) => f.name.startsWith(name))?.value;
    expect(field('Level')).toBe('**manual** (decided by the default (nobody chose yet))');
    expect(field('Random ID')).toBe(`||${userId}||`);
    expect(field('Run ID')).toBe(internals(bot).sessionId);
    expect(field('Modules')).toBe('status 1.0.0\nnotes 1.0.0');
    expect(field('Policy version')).toBe('1');
    expect(field('Kept reports')).toBe('none');
  });

  it('enable (default all), enable level:errors, disable: the level changes and the reply says what it means', async () => {
    const { discord, start } = await world();
    const bot = await start();
    expect(await content(run(discord, 'enable'))).toContain('is now **all**');
    expect(await bot.telemetry.consent.status()).toMatchObject({
      level: 'all',
      source: 'owner',
      decidedBy: `discord:${discord.ownerId}`,
    });
    expect(await content(run(discord, 'enable', { level: 'errors' }))).toContain('is now **errors**');
    expect((await bot.telemetry.consent.status()).level).toBe('errors');
    expect(await content(run(discord, 'disable'))).toContain('is now **off**: nothing is sent');
    expect((await bot.telemetry.consent.status()).level).toBe('off');
  });

  it('refuses someone who is not an owner, and changes nothing', async () => {
    const { discord, start } = await world();
    const bot = await start();
    const member = String(discord.addUser({ username: 'member' }).id);
    const [guild] = discord.guilds();
    for (const subcommand of ['enable', 'status', 'forget', 'sent']) {
      const handle = discord.interaction({
        type: 'command',
        command: COMMAND,
        subcommand,
        user: member,
        guildId: guild?.id,
      });
      const reply = await answer(handle);
      expect(reply.ephemeral).toBe(true);
      expect(reply.data.content).toBe("Only the bot's owners can use this.");
    }
    expect(await bot.telemetry.consent.status()).toMatchObject({ level: 'manual', source: 'default' });
  });

  it('a level locked by the environment: the reply gives the reason', async () => {
    const { discord, start } = await world();
    const bot = await start({ env: { CONSENTRY_LEVEL: 'errors' } });
    const text = await content(run(discord, 'disable'));
    expect(text).toMatch(
      /^Not changed: cannot set the level to 'off': the environment variable CONSENTRY_LEVEL=errors/,
    );
    expect((await bot.telemetry.consent.status()).level).toBe('errors');
  });

  it('hint off / on: stored in the settings', async () => {
    const { discord, start } = await world();
    const bot = await start();
    expect(await content(run(discord, 'hint', { state: 'off' }))).toContain('no more');
    expect(internals(bot).consent.settings()?.showManualHint).toBe(false);
    expect(await content(run(discord, 'hint', { state: 'on' }))).toContain('owners get');
    expect(internals(bot).consent.settings()?.showManualHint).toBe(true);
  });

  it('forget: a new random id in a spoiler; the level stays', async () => {
    const { discord, start } = await world();
    const bot = await start();
    await bot.telemetry.consent.set('errors', { by: 'owner:test' });
    const before = (await bot.telemetry.consent.status()).userId;
    const text = await content(run(discord, 'forget'));
    const after = await bot.telemetry.consent.status();
    expect(after.userId).not.toBe(before);
    expect(text).toContain(`||${after.userId}||`);
    expect(after.level).toBe('errors');
  });

  it('sent: the record of what reached Sentry, ephemeral, scrubbed as sent', async () => {
    const { discord, sentry, start } = await world();
    const bot = await start();
    await bot.telemetry.consent.set('errors', { by: 'owner:test' });
    bot.modules.status?.captureError(new Error('lookup of guild 81384788765712384 failed'));
    await expect.poll(() => sentry.events().length).toBe(1);
    await bot.telemetry.flush();

    const handle = run(discord, 'sent');
    const reply = await answer(handle);
    expect(handle.responses()[0]).toMatchObject({ kind: 'callback', type: 5, ephemeral: true });
    const text = String(reply.data.content);
    expect(text).toContain('event · status');
    expect(text).toContain('HTTP 200: Error: lookup of guild [SHORTENED-ID-');
    expect(text).not.toContain('81384788765712384');
    const entries = await bot.telemetry.sent.list();
    expect(entries.find((entry) => entry.kind === 'event')?.eventId).toBe(sentry.events()[0]?.event_id);
  });

  it('preview code: the exact JSON as a file; send code: that report reaches Sentry; both refuse unknown codes', async () => {
    const { discord, sentry, start } = await world();
    const bot = await start();
    await bot.telemetry.consent.status();
    const outcome = bot.modules.status?.captureError(new Error(`lookup of guild 81384788765712384 failed`));
    expect(outcome?.status).toBe('pending');
    const code = (outcome as { code: string }).code;
    await expect.poll(() => bot.telemetry.reports.list().length).toBe(1);

    const preview = await answer(run(discord, 'preview', { code: code.toLowerCase() }));
    expect(preview.ephemeral).toBe(true);
    expect(preview.files.map((file) => file.name)).toEqual([`report-${code}.json`]);
    const json = preview.files[0]?.data.toString('utf8') ?? '';
    expect(json).toBe(bot.telemetry.reports.preview(code));
    expect(json).toContain('[SHORTENED-ID-');
    expect(sentry.requests()).toEqual([]);

    const sent = await content(run(discord, 'send', { code }));
    const eventId = /event `([0-9a-f]{32})`/.exec(sent)?.[1];
    expect(eventId).toBeDefined();
    const received = await sentry.waitFor('event', (event) => event.event_id === eventId);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(received)));

    expect(await content(run(discord, 'send', { code }))).toContain(`There is no kept report \`${code}\``);
    expect(await content(run(discord, 'preview', { code: 'ZZZZZZ' }))).toContain('There is no kept report `ZZZZZZ`');
    expect(sentry.events()).toHaveLength(1);
  });

  it('send code at level off: refused, nothing reaches Sentry', async () => {
    const { discord, sentry, start } = await world();
    const bot = await start();
    await bot.telemetry.consent.status();
    const outcome = bot.modules.status?.captureError(new Error('kept while manual'));
    const code = (outcome as { code: string }).code;
    await bot.telemetry.consent.set('off', { by: 'owner:test' });
    expect(await content(run(discord, 'send', { code }))).toContain('Nothing can be sent while the level is off');
    await bot.stop();
    expect(sentry.requests()).toEqual([]);
  });

  it('works in a server channel too, for an owner', async () => {
    const { discord, start } = await world();
    const bot = await start();
    const [guild] = discord.guilds();
    const handle = discord.interaction({ type: 'command', command: COMMAND, subcommand: 'enable', guildId: guild?.id });
    expect((await answer(handle)).ephemeral).toBe(true);
    expect((await bot.telemetry.consent.status()).level).toBe('all');
  });
});

// The master notice's buttons, clicked in the owner's DM (also after a restart, when the DM channel is not cached).
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, StoredMessage } from '../../src/testing/index.js';
import { SUITE, world } from './support.js';

function click(discord: FakeDiscord, notice: StoredMessage | undefined, action: string, user?: string) {
  if (!notice) throw new Error('no notice to click on');
  return discord.interaction({
    type: 'button',
    customId: `consentry:${action}:${SUITE}`,
    message: notice,
    ...(user ? { user } : {}),
  });
}

describe('the master notice’s buttons, from the DM', () => {
  it('errors + performance / errors only / keep it off set the level for every module, recording who chose', async () => {
    const { discord, start } = await world();
    const bot = await start({ modules: ['status', 'notes'] });
    const [notice] = discord.dms(discord.ownerId);

    const expectations = [
      ['errors', 'errors'],
      ['all', 'all'],
      ['manual', 'manual'],
    ] as const;
    for (const [action, level] of expectations) {
      const reply = await click(discord, notice, action).callback();
      expect(reply.ephemeral).toBe(true);
      expect(reply.data.content).toContain(`is now **${level}**`);
      expect(await bot.telemetry.consent.status()).toMatchObject({
        level,
        source: 'owner',
        decidedBy: `discord:${discord.ownerId}`,
      });
    }
  });

  it('work after a restart, on the DM sent by the previous run', async () => {
    const { discord, start } = await world();
    await (await start()).stop();
    const bot = await start();
    const [notice] = discord.dms(discord.ownerId);
    await click(discord, notice, 'errors').callback();
    expect((await bot.telemetry.consent.status()).level).toBe('errors');
  });

  it('refuse someone who is not an owner (e.g. in the fallback channel)', async () => {
    const { discord, start } = await world();
    const bot = await start();
    const [notice] = discord.dms(discord.ownerId);
    const member = String(discord.addUser({ username: 'member' }).id);
    const reply = await click(discord, notice, 'all', member).callback();
    expect(reply.data.content).toBe("Only the bot's owners can use this.");
    expect((await bot.telemetry.consent.status()).source).toBe('default');
  });

  it('show an example: the real scrubbed JSON of a made-up error as a file, and nothing sent', async () => {
    const { discord, sentry, start } = await world();
    const bot = await start();
    const [notice] = discord.dms(discord.ownerId);
    const handle = click(discord, notice, 'example');
    const reply = await handle.waitForResponse((response) => response.kind === 'editOriginal');
    expect(handle.responses()[0]).toMatchObject({ kind: 'callback', type: 5, ephemeral: true });
    expect(reply.data.content).toContain('This is exactly what an error report');
    const [file] = reply.files;
    expect(file?.name).toBe(`${SUITE}-example-report.json`);
    const text = file?.data.toString('utf8') ?? '';
    const event = JSON.parse(text);
    expect(event.exception.values[0].type).toBe('ExampleError');
    expect(event.user).toEqual({ id: (await bot.telemetry.consent.status()).userId });
    expect(event.tags).toMatchObject({ suite: SUITE, module: 'status' });
    expect(text).toContain('[SHORTENED-ID-');
    expect(text).toContain('IP_V4');
    expect(text).toContain('[DISCORD-INVITE-LINK]');
    expect(text).not.toContain('81384788765712384');
    expect(text).not.toContain('203.0.113.9');
    expect(text).not.toContain('discord.gg/AbCdEf12');
    await bot.stop();
    expect(sentry.requests()).toEqual([]);
  });

  it('when the level is locked by the environment, the notice says why and offers only the example', async () => {
    const { discord, start } = await world();
    await start({ env: { CONSENTRY_LEVEL: 'errors' } });
    const [notice] = discord.dms(discord.ownerId);
    // One true thing: reports are being sent at `errors`, so no "nothing is sent until you answer".
    expect(notice?.content).toContain(
      'On this bot the level is set to **errors** by the CONSENTRY_LEVEL environment variable, not by you: error ' +
        'reports and crash-free session counts are sent.',
    );
    expect(notice?.content).toContain('CONSENTRY_LEVEL=errors');
    expect(notice?.content).toContain('**What is sent**\n');
    expect(notice?.content).not.toMatch(
      /nothing is sent automatically|if you agree|until you answer|change your mind/i,
    );
    const rows = notice?.components as Array<{ components: Array<{ custom_id: string }> }>;
    expect(rows.flatMap((row) => row.components.map((button) => button.custom_id))).toEqual([
      `consentry:example:${SUITE}`,
    ]);
  });

  it('when CI detection fixes the level at off, the notice says nothing is sent, and what would be', async () => {
    const { discord, start } = await world();
    await start({ env: { CI: 'true' } });
    const [notice] = discord.dms(discord.ownerId);
    expect(notice?.content).toContain(
      'On this bot the level is set to **off** by CI detection, not by you: nothing is sent, and errors are not kept.',
    );
    expect(notice?.content).toContain('**What would be sent, if reports were turned on**\n');
  });
});

// A bot that asks for its owners while it starts (before login), as a status page or an admin check would: a real
// discord.js Client on FakeDiscord. The empty answer of a client that is not ready must not stick: the master notice
// still reaches the owner, and is recorded as sent only once it did.
import { describe, expect, it } from 'vitest';
import { internals, world } from './support.js';

describe('discord.owners() before login', () => {
  it('answers without caching; the master notice reaches the owner at ready and is then recorded', async () => {
    const { discord, start } = await world();
    const early: string[][] = [];
    const bot = await start({
      modules: ['status'],
      beforeLogin: async (attachment) => {
        early.push(await attachment.owners());
      },
    });
    expect(early).toEqual([[]]);
    expect(await bot.attachment.owners()).toEqual([discord.ownerId]);
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
    expect(discord.dms(discord.ownerId)[0]?.content).toContain('would like to send error reports');
    expect(internals(bot).consent.settings()).toMatchObject({ masterNoticeSent: true, modulesNotified: ['status'] });
  });

  it('a notice that reached no one is not recorded as sent, and goes out after the next start', async () => {
    const { discord, start } = await world();
    // The owner's DMs are closed at the first start (opened later), and there is no fallback channel.
    discord.failNext({ path: '/channels/:id/messages', status: 403, code: 50007 });
    const first = await start({ modules: ['status'] });
    expect(discord.dms(discord.ownerId)).toHaveLength(0);
    expect(internals(first).consent.settings()?.masterNoticeSent).toBe(false);
    await first.stop();

    const second = await start({ modules: ['status'] });
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
    expect(internals(second).consent.settings()?.masterNoticeSent).toBe(true);
  });
});

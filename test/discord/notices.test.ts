// Owner notices over restarts: a real discord.js Client against FakeDiscord, settings in a file store shared by restarts.
import { describe, expect, it } from 'vitest';
import { buttonIds, COMMAND, DOCS, dmTexts, internals, SUITE, world } from './support.js';

describe('the master notice', () => {
  it('goes to the owner once, the first time any module loads, with the four buttons; not again after a restart', async () => {
    const { discord, start } = await world();
    const first = await start({ modules: ['status', 'notes'] });

    const [master, ...others] = discord.dms(discord.ownerId);
    expect(others).toEqual([]);
    expect(master?.content).toContain(`**${SUITE}** would like to send error reports`);
    expect(master?.content).toContain('**status**, **notes**');
    expect(master?.content).toContain('What is never sent');
    expect(master?.content).toContain(DOCS);
    expect(master?.content).toContain(`/${COMMAND} status`);
    expect(buttonIds(master)).toEqual([
      `consentry:all:${SUITE}`,
      `consentry:errors:${SUITE}`,
      `consentry:manual:${SUITE}`,
      `consentry:example:${SUITE}`,
    ]);
    expect(internals(first).consent.settings()).toMatchObject({
      masterNoticeSent: true,
      modulesNotified: ['status', 'notes'],
    });
    await first.stop();

    await start({ modules: ['status', 'notes'] });
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
  });

  it('is sent again, saying the policy changed, only when the policy version goes up', async () => {
    const { discord, start } = await world();
    const first = await start({ modules: ['status'] });
    await first.telemetry.consent.set('errors', { by: 'owner:test' });
    await first.stop();
    await (await start({ modules: ['status'] })).stop();
    expect(discord.dms(discord.ownerId)).toHaveLength(1);

    const bumped = await start({ modules: ['status'], policyVersion: 2 });
    const texts = dmTexts(discord, discord.ownerId);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('changed what its error reports contain (policy version 2)');
    // The earlier opt-in does not cover the new policy: paused until the owner confirms again.
    expect((await bumped.telemetry.consent.status()).level).toBe('manual');
    await bumped.stop();
    await start({ modules: ['status'], policyVersion: 2 });
    expect(discord.dms(discord.ownerId)).toHaveLength(2);
  });
});

describe('reminders', () => {
  it('while reports are off: only the first new module since each restart gets one', async () => {
    const { discord, start } = await world();
    await (await start({ modules: ['status'] })).stop();
    expect(discord.dms(discord.ownerId)).toHaveLength(1);

    await (await start({ modules: ['status', 'polls', 'music'] })).stop();
    let texts = dmTexts(discord, discord.ownerId);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('the module **polls** was loaded for the first time. Error reports are off');
    expect(texts[1]).toContain(`/${COMMAND} enable`);

    // music was not announced, so the next restart announces it, and then nothing is left.
    await (await start({ modules: ['status', 'polls', 'music'] })).stop();
    texts = dmTexts(discord, discord.ownerId);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('the module **music** was loaded');
    const last = await start({ modules: ['status', 'polls', 'music'] });
    expect(discord.dms(discord.ownerId)).toHaveLength(3);
    expect(internals(last).consent.settings()?.modulesNotified).toEqual(['status', 'polls', 'music']);
  });

  it('while reports are off: a module loaded later in the run of the master notice gets none', async () => {
    const { discord, start } = await world();
    const bot = await start({ modules: ['status'] });
    bot.telemetry.module({ name: 'polls', version: '1.0.0' });
    await bot.attachment.idle();
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
  });

  it('while reports are on: every new module gets its own, also one loaded while the bot runs', async () => {
    const { discord, start } = await world();
    const first = await start({ modules: ['status'] });
    await first.telemetry.consent.set('errors', { by: 'owner:test' });
    await first.stop();

    const bot = await start({ modules: ['status', 'polls', 'music'] });
    bot.telemetry.module({ name: 'games', version: '1.0.0' });
    await bot.attachment.idle();
    const texts = dmTexts(discord, discord.ownerId);
    expect(texts).toHaveLength(4);
    expect(texts.slice(1).map((text) => /the module \*\*(\w+)\*\*/.exec(text)?.[1])).toEqual([
      'polls',
      'music',
      'games',
    ]);
    expect(texts[1]).toContain('Error reports are on (level **errors**');
    expect(texts[1]).toContain(`/${COMMAND} disable`);
    await bot.stop();

    await start({ modules: ['status', 'polls', 'music', 'games'] });
    expect(discord.dms(discord.ownerId)).toHaveLength(4);
  });
});

describe('owners', () => {
  it('a team: the team owner and members with the configured roles who accepted, plus extra owner ids', async () => {
    const { discord, start } = await world({
      users: [{ id: '300000000000000001', username: 'extra' }],
      application: {
        owner: {
          members: [
            { user: { id: '200000000000000001', username: 'lead' }, role: 'admin' },
            { user: { id: '200000000000000002', username: 'dev' }, role: 'developer' },
            { user: { id: '200000000000000003', username: 'viewer' }, role: 'read_only' },
            { user: { id: '200000000000000004', username: 'invited' }, role: 'admin', membershipState: 1 },
          ],
        },
      },
    });
    const bot = await start({ attach: { extraOwnerIds: ['300000000000000001'] } });
    expect((await bot.attachment.owners()).sort()).toEqual([
      '200000000000000001',
      '200000000000000002',
      '300000000000000001',
    ]);
    for (const id of ['200000000000000001', '200000000000000002', '300000000000000001']) {
      expect(dmTexts(discord, id)).toHaveLength(1);
    }
    expect(discord.dms('200000000000000003')).toEqual([]);
    expect(discord.dms('200000000000000004')).toEqual([]);
  });

  it('ownerRoles decides which team members count', async () => {
    const { discord, start } = await world({
      application: {
        owner: {
          members: [
            { user: { id: '200000000000000001', username: 'lead' }, role: 'admin' },
            { user: { id: '200000000000000002', username: 'dev' }, role: 'developer' },
          ],
        },
      },
    });
    const bot = await start({ attach: { ownerRoles: ['admin'] } });
    expect(await bot.attachment.owners()).toEqual(['200000000000000001']);
    expect(discord.dms('200000000000000002')).toEqual([]);
  });
});

describe('direct messages that cannot be delivered', () => {
  it('closed DMs (50007): one attempt, one log line, the fallback channel gets the notice; no retry later', async () => {
    const { discord, start } = await world();
    const [guild] = discord.guilds();
    const channelId = String(guild?.channels[0]?.id);
    const closed = discord.failNext({ path: '/channels/:id/messages', status: 403, code: 50007 });
    const bot = await start({ modules: ['status'], attach: { fallbackChannelId: channelId } });

    expect(closed.hits).toBe(1);
    const dmChannel = discord.dmChannelId(discord.ownerId);
    const attempts = () => discord.requests({ method: 'POST', path: `/channels/${dmChannel}/messages` });
    expect(attempts()).toHaveLength(1);
    const lines = bot.logger.at('warn').filter((line) => line.includes('direct message'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('50007');
    const [posted] = discord.messages(channelId);
    expect(posted?.content).toContain('no owner of this bot could be reached by direct message');
    expect(buttonIds(posted)).toContain(`consentry:errors:${SUITE}`);

    // Reports on, a new module: the closed DM is not tried again in this run; the channel gets the reminder.
    await bot.telemetry.consent.set('all', { by: 'owner:test' });
    bot.telemetry.module({ name: 'polls', version: '1.0.0' });
    await bot.attachment.idle();
    expect(attempts()).toHaveLength(1);
    expect(discord.messages(channelId).map((message) => message.content)[1]).toContain('**polls**');
    expect(bot.logger.at('warn').filter((line) => line.includes('direct message'))).toHaveLength(1);
  });

  it('no shared server (50278) without a fallback channel: logged once, not retried in the run, not recorded as sent', async () => {
    const { discord, start } = await world();
    discord.failNext({ path: '/users/@me/channels', status: 403, code: 50278 });
    const bot = await start({ modules: ['status'] });
    expect(discord.requests({ method: 'POST', path: '/users/@me/channels' })).toHaveLength(1);
    expect(bot.logger.at('warn').filter((line) => line.includes('50278'))).toHaveLength(1);
    expect(bot.logger.at('warn').some((line) => line.includes('no fallbackChannelId'))).toBe(true);
    // It reached no one: not recorded as sent.
    expect(internals(bot).consent.settings()?.masterNoticeSent).toBe(false);
    bot.telemetry.module({ name: 'polls', version: '1.0.0' });
    await bot.attachment.idle();
    expect(discord.requests({ method: 'POST', path: '/users/@me/channels' })).toHaveLength(1);
    await bot.stop();

    // One attempt per run, never a loop: the next start tries once more, and the owner, reachable now, gets it.
    const restarted = await start({ modules: ['status', 'polls'] });
    expect(discord.requests({ method: 'POST', path: '/users/@me/channels' })).toHaveLength(2);
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
    expect(internals(restarted).consent.settings()?.masterNoticeSent).toBe(true);
  });
});

describe('sharded bots', () => {
  it('two shards sharing one settings folder send each notice exactly once, and register the command once', async () => {
    const { discord, start } = await world();
    const [zero, one] = await Promise.all([
      start({ modules: ['status', 'notes'], shard: [0, 2] }),
      start({ modules: ['status', 'notes'], shard: [1, 2] }),
    ]);
    expect(discord.dms(discord.ownerId)).toHaveLength(1);
    expect(discord.requests({ method: 'POST', path: '/applications/:app/commands' })).toHaveLength(1);
    await zero.telemetry.consent.set('errors', { by: 'owner:test' });
    await Promise.all([zero.stop(), one.stop()]);

    await Promise.all([
      start({ modules: ['status', 'notes', 'polls', 'music'], shard: [0, 2] }),
      start({ modules: ['status', 'notes', 'polls', 'music'], shard: [1, 2] }),
    ]);
    const texts = dmTexts(discord, discord.ownerId);
    expect(texts).toHaveLength(3);
    expect(texts.filter((text) => text.includes('**polls**'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('**music**'))).toHaveLength(1);
  });
});

describe('DO_NOT_TRACK', () => {
  it('sends no direct message at all, and nothing to Sentry', async () => {
    const { discord, sentry, start } = await world();
    const bot = await start({ modules: ['status', 'notes'], env: { DO_NOT_TRACK: '1' } });
    bot.telemetry.module({ name: 'polls', version: '1.0.0' });
    await bot.attachment.idle();
    bot.modules.status?.captureError(new Error('broken'));
    await bot.stop();
    expect(discord.requests({ path: '/users/@me/channels' })).toEqual([]);
    expect(discord.requests({ method: 'POST', path: '/channels/:id/messages' })).toEqual([]);
    expect(sentry.requests()).toEqual([]);
  });

  it('CONSENTRY_DISABLED does the same for the notices', async () => {
    const { discord, start } = await world();
    await start({ modules: ['status'], env: { CONSENTRY_DISABLED: 'true' } });
    expect(discord.requests({ path: '/users/@me/channels' })).toEqual([]);
  });
});

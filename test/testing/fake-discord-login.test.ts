// A real discord.js Client logs in to FakeDiscord: READY, GUILD_CREATE, application owner, shards, resume.
import { once } from 'node:events';
import { Events, Team, User } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { guildIdForShard } from '../../src/testing/index.js';
import { loginReady, newClient, startFake as start } from './fake-discord-helpers.js';

describe('FakeDiscord login', () => {
  it('lets a real Client log in, become ready and see the configured guild, channels, roles and members', async () => {
    const discord = await start({
      botUser: { username: 'acme-bot' },
      users: [{ id: '222222222222222222', username: 'alice' }],
      guilds: [
        {
          name: 'Acme HQ',
          channels: [{ name: 'general' }, { name: 'voice', type: 2 }],
          roles: [{ name: 'mods', permissions: '8' }],
          members: [{ user: '222222222222222222', roles: ['mods'] }],
        },
      ],
    });
    const client = newClient(discord);
    await loginReady(client, discord);

    expect(client.user?.username).toBe('acme-bot');
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.application?.id).toBe(discord.application.id);
    const [info] = discord.guilds();
    const guild = client.guilds.cache.get(info?.id ?? '');
    expect(guild?.name).toBe('Acme HQ');
    expect(guild?.available).toBe(true);
    expect(guild?.ownerId).toBe(discord.ownerId);
    expect(guild?.channels.cache.map((channel) => channel.name).sort()).toEqual(['general', 'voice']);
    const alice = guild?.members.cache.get('222222222222222222');
    expect(alice?.roles.cache.map((role) => role.name).sort()).toEqual(['@everyone', 'mods']);
    expect(guild?.members.cache.has(discord.botUser.id as string)).toBe(true);

    // The only REST call of a login is the gateway lookup, with the bot token (recorded redacted).
    const requests = discord.requests();
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /gateway/bot']);
    expect(requests[0]?.auth).toEqual({ scheme: 'Bot' });
    expect(requests[0]?.headers.authorization).toBe('Bot [redacted]');
    expect(JSON.stringify(requests)).not.toContain(discord.token);
  });

  it('rejects a wrong token with TokenInvalid (REST 401)', async () => {
    const discord = await start();
    const client = newClient(discord);
    await expect(client.login(`${discord.token}x`)).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(discord.requests()[0]?.status).toBe(401);
  });

  it('returns the application owner as a User', async () => {
    const discord = await start({ application: { owner: { id: '333333333333333333', username: 'solo-owner' } } });
    const client = newClient(discord);
    await loginReady(client, discord);
    const owner = (await client.application?.fetch())?.owner;
    expect(owner).toBeInstanceOf(User);
    if (!(owner instanceof User)) throw new Error('expected a User');
    expect(owner.id).toBe('333333333333333333');
    expect(owner.username).toBe('solo-owner');
    expect(discord.requests({ path: '/applications/@me' })).toHaveLength(1);
  });

  it('returns a team owner with members and roles', async () => {
    const discord = await start({
      application: {
        owner: {
          name: 'Acme Team',
          members: [
            { user: { id: '444444444444444441', username: 'lead' }, role: 'admin' },
            { user: { id: '444444444444444442', username: 'dev' }, role: 'developer' },
            { user: { id: '444444444444444443', username: 'viewer' }, role: 'read_only' },
          ],
        },
      },
    });
    const client = newClient(discord);
    await loginReady(client, discord);
    const application = await client.application?.fetch();
    const team = application?.owner;
    expect(team).toBeInstanceOf(Team);
    if (!(team instanceof Team)) throw new Error('expected a Team');
    expect(team.name).toBe('Acme Team');
    expect(team.ownerId).toBe('444444444444444441');
    expect(team.owner?.user.username).toBe('lead');
    expect(Object.fromEntries(team.members.map((member) => [member.user.username, member.role]))).toEqual({
      lead: 'admin',
      dev: 'developer',
      viewer: 'read_only',
    });
    // The default guild is owned by the team owner, who is a member.
    const guild = client.guilds.cache.first();
    expect(guild?.ownerId).toBe('444444444444444441');
  });

  it('lets two Clients with shard 0 and shard 1 of 2 log in, each seeing only the guilds of its shard', async () => {
    const guild0 = guildIdForShard(0, 2);
    const guild1 = guildIdForShard(1, 2);
    const discord = await start({
      guilds: [
        { id: guild0, name: 'zero' },
        { id: guild1, name: 'one' },
      ],
    });
    const first = newClient(discord, { shard: [0, 2] });
    const second = newClient(discord, { shard: [1, 2] });
    await Promise.all([loginReady(first, discord), loginReady(second, discord)]);

    expect([...first.guilds.cache.keys()]).toEqual([guild0]);
    expect([...second.guilds.cache.keys()]).toEqual([guild1]);
    expect(first.shard).toBeNull();
    expect(first.ws.shards.map((shard) => shard.id)).toEqual([0]);
    expect(second.ws.shards.map((shard) => shard.id)).toEqual([1]);
    const shards = discord
      .sessions()
      .map((session) => session.shard)
      .sort();
    expect(shards).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // A dispatch for a guild goes to the shard that owns it.
    const seen: string[] = [];
    first.on(Events.GuildUpdate, (_old, guild) => seen.push(`first:${guild.name}`));
    second.on(Events.GuildUpdate, (_old, guild) => seen.push(`second:${guild.name}`));
    const base = discord.guilds().find((guild) => guild.id === guild1);
    expect(discord.dispatch('GUILD_UPDATE', { id: guild1, name: 'one renamed', roles: base?.roles })).toBe(1);
    await expect.poll(() => seen).toEqual(['second:one renamed']);
  });

  it('answers heartbeats with ACKs', async () => {
    const discord = await start({ heartbeatIntervalMs: 20 });
    const client = newClient(discord);
    await loginReady(client, discord);
    await discord.waitForGateway((entry) => entry.op === 1 && entry.shard === 0);
    // discord.js measures the round trip only after a HEARTBEAT_ACK.
    await expect.poll(() => client.ws.shards.first()?.lastPingTimestamp ?? -1).toBeGreaterThan(0);
  });

  it('resumes a session after RECONNECT and replays what was dispatched while the client was away, once', async () => {
    const discord = await start();
    const client = newClient(discord);
    await loginReady(client, discord);
    const [guild] = discord.guilds();
    const names: string[] = [];
    client.on(Events.GuildUpdate, (_old, updated) => names.push(updated.name));
    const [before] = discord.sessions();
    const shard = client.ws.shards.first();
    if (!shard) throw new Error('expected a shard');
    const resumed = once(shard, 'resumed');

    expect(discord.reconnect()).toBe(1);
    await expect.poll(() => discord.sessions()[0]?.connected).toBe(false);
    discord.dispatch('GUILD_UPDATE', { id: guild?.id, name: 'renamed while away', roles: guild?.roles });
    await resumed;

    const [after] = discord.sessions();
    expect(after?.sessionId).toBe(before?.sessionId);
    expect(after?.connected).toBe(true);
    await expect.poll(() => names).toEqual(['renamed while away']);
    expect(discord.gatewayLog().filter((entry) => entry.op === 6)).toHaveLength(1);
    expect(discord.gatewayLog().filter((entry) => entry.op === 2)).toHaveLength(1);
  });
});

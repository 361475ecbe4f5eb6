// REST behaviour of FakeDiscord with a real Client: DMs, scripted failures, rate limits, commands, files, records.
import { AttachmentBuilder, DiscordAPIError, EmbedBuilder, HTTPError, type TextChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../src/testing/index.js';
import { readyClient, startFake } from './fake-discord-helpers.js';

describe('FakeDiscord REST', () => {
  it('creates a DM channel on user.send() and records the message with its embed', async () => {
    const { discord, client } = await readyClient();
    const owner = await client.users.fetch(discord.ownerId);
    const sent = await owner.send({
      content: 'Hello owner',
      embeds: [new EmbedBuilder().setTitle('What is sent').setDescription('errors only')],
    });

    const channelId = discord.dmChannelId(discord.ownerId);
    expect(sent.channelId).toBe(channelId);
    expect(sent.author.id).toBe(discord.botUser.id);
    const dms = discord.dms(discord.ownerId);
    expect(dms.map((message) => message.content)).toEqual(['Hello owner']);
    expect(dms[0]?.embeds[0]).toMatchObject({ title: 'What is sent', description: 'errors only' });
    const createDm = discord.requests({ method: 'POST', path: '/users/@me/channels' });
    expect(createDm.map((request) => request.body)).toEqual([{ recipient_id: discord.ownerId }]);
    // A second send reuses the cached DM channel.
    await owner.send('again');
    expect(discord.requests({ path: '/users/@me/channels' })).toHaveLength(1);
    expect(discord.dms(discord.ownerId).map((message) => message.content)).toEqual(['Hello owner', 'again']);

    const edited = await sent.edit({ content: 'Hello owner (edited)', embeds: [] });
    expect(edited.content).toBe('Hello owner (edited)');
    expect(discord.dms(discord.ownerId)[0]).toMatchObject({ content: 'Hello owner (edited)', embeds: [], edits: 1 });
  });

  it('makes send() reject with DiscordAPIError 50007 when DMs are closed, and stores nothing', async () => {
    const { discord, client } = await readyClient();
    const owner = await client.users.fetch(discord.ownerId);
    const rule = discord.failNext({
      method: 'POST',
      path: '/channels/:id/messages',
      status: 403,
      code: 50007,
      message: 'Cannot send messages to this user',
    });
    const failure = await owner.send('hi').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DiscordAPIError);
    expect(failure).toMatchObject({ code: 50007, status: 403, message: 'Cannot send messages to this user' });
    expect(rule.hits).toBe(1);
    expect(rule.remaining).toBe(0);
    expect(discord.dms(discord.ownerId)).toEqual([]);
    // The rule is used up: the next send goes through.
    await owner.send('later');
    expect(discord.dms(discord.ownerId).map((message) => message.content)).toEqual(['later']);
  });

  it('scripts the no-mutual-guild error 50278 on creating the DM', async () => {
    const { discord, client } = await readyClient();
    const owner = await client.users.fetch(discord.ownerId);
    discord.failNext({ path: /^\/users\/@me\/channels$/, status: 403, code: 50278 });
    await expect(owner.send('hi')).rejects.toMatchObject({ code: 50278, status: 403 });
    expect(discord.requests({ path: '/users/@me/channels' })[0]).toMatchObject({ status: 403, scripted: true });
  });

  it('answers a 429 with retry_after and rate-limit headers; discord.js waits, retries and succeeds', async () => {
    const { discord, client } = await readyClient();
    const channel = client.channels.cache.get(discord.guilds()[0]?.channels[0]?.id as string) as TextChannel;
    const rateLimits: number[] = [];
    client.rest.on('rateLimited', (info) => rateLimits.push(info.retryAfter));
    discord.failNext({ method: 'POST', path: '/channels/:id/messages', status: 429, retryAfter: 0.01 });

    const message = await channel.send('after the limit');

    expect(message.content).toBe('after the limit');
    const posts = discord.requests({ method: 'POST', path: '/channels/:id/messages' });
    expect(posts.map((request) => request.status)).toEqual([429, 200]);
    expect(posts[0]?.response).toMatchObject({ retry_after: 0.01, global: false });
    expect(rateLimits).toHaveLength(1);
    expect(discord.messages(channel.id).map((stored) => stored.content)).toEqual(['after the limit']);
  });

  it('lets discord.js retry a 500 (rest.retries = 3) and fail once the retries are spent', async () => {
    const { discord, client } = await readyClient();
    discord.failNext({ method: 'GET', path: '/users/:id', status: 500 });
    const owner = await client.users.fetch(discord.ownerId, { force: true });
    expect(owner.id).toBe(discord.ownerId);
    discord.failNext({ method: 'GET', path: '/users/:id', status: 502, times: 4 });
    const failure = await client.users.fetch(discord.ownerId, { force: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HTTPError);
    expect(failure).toMatchObject({ status: 502 });
    expect(discord.requests({ path: '/users/:id' }).map((request) => request.status)).toEqual([
      500, 200, 502, 502, 502, 502,
    ]);
  });

  it('upserts with application.commands.create: same name replaces, other commands are kept', async () => {
    const { discord, client } = await readyClient();
    const other = await client.application.commands.create({ name: 'host-command', description: 'the host bot' });
    const first = await client.application.commands.create({ name: 'acme-telemetry', description: 'v1' });
    const second = await client.application.commands.create({ name: 'acme-telemetry', description: 'v2' });

    expect(second.id).toBe(first.id);
    const byName = Object.fromEntries(discord.commands().map((command) => [command.name, command]));
    expect(Object.keys(byName).sort()).toEqual(['acme-telemetry', 'host-command']);
    expect(byName['acme-telemetry']?.description).toBe('v2');
    expect(byName['host-command']?.id).toBe(other.id);
    expect(
      discord.requests({ method: 'POST', path: '/applications/:app/commands' }).map((request) => request.status),
    ).toEqual([201, 201, 200]);

    // Fetch and bulk overwrite work too; a guild's commands are separate.
    const fetched = await client.application.commands.fetch();
    expect([...fetched.values()].map((command) => command.name).sort()).toEqual(['acme-telemetry', 'host-command']);
    const guildId = discord.guilds()[0]?.id as string;
    await client.application.commands.create({ name: 'guild-only', description: 'g' }, guildId);
    expect(discord.commands(guildId).map((command) => command.name)).toEqual(['guild-only']);
    await client.application.commands.set([{ name: 'acme-telemetry', description: 'v3' }]);
    expect(discord.commands().map((command) => [command.id, command.description])).toEqual([[first.id, 'v3']]);
    expect(discord.commands(guildId)).toHaveLength(1);
  });

  it('records multipart uploads as files and stores them as attachments', async () => {
    const { discord, client } = await readyClient();
    const owner = await client.users.fetch(discord.ownerId);
    const report = Buffer.from(JSON.stringify({ event_id: 'abc', level: 'error' }));
    const sent = await owner.send({
      content: 'The exact report',
      files: [new AttachmentBuilder(report, { name: 'report.json', description: 'preview' })],
    });

    expect(sent.attachments.first()?.name).toBe('report.json');
    const [stored] = discord.dms(discord.ownerId);
    expect(stored?.attachments[0]).toMatchObject({ filename: 'report.json', size: report.length });
    expect(stored?.files[0]?.data.toString()).toBe(report.toString());
    const request = discord.requests({ method: 'POST', path: '/channels/:id/messages' })[0];
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(request?.body).toMatchObject({ content: 'The exact report' });
    expect(request?.files.map((file) => [file.field, file.name])).toEqual([['files[0]', 'report.json']]);
  });

  it('never stores the token: headers keep only the scheme', async () => {
    const { discord, client } = await readyClient();
    await client.users.fetch(discord.ownerId, { force: true });
    const serialized = JSON.stringify(discord.requests());
    expect(serialized).not.toContain(discord.token);
    expect(serialized).not.toContain(discord.token.split('.')[2] as string);
    expect(discord.requests().every((request) => request.headers.authorization === 'Bot [redacted]')).toBe(true);
  });

  it('caps recorded requests at maxRecorded, keeping the newest', async () => {
    const { discord, client } = await readyClient({ maxRecorded: 3 });
    for (let index = 0; index < 5; index += 1) await client.users.fetch(discord.ownerId, { force: true });
    const requests = discord.requests();
    expect(requests).toHaveLength(3);
    // 1 gateway lookup + 5 fetches = 6 requests; the newest three remain.
    expect(requests.map((request) => request.seq)).toEqual([4, 5, 6]);
  });

  it('waitFor resolves on a later request and times out with a message saying what it waited for', async () => {
    const { discord, client } = await readyClient();
    const waiting = discord.waitFor((request) => request.path === `/users/${discord.ownerId}`);
    await client.users.fetch(discord.ownerId, { force: true });
    expect((await waiting).status).toBe(200);
    await expect(discord.waitForDm(discord.ownerId, () => true, 30)).rejects.toThrow(
      /timed out after 30 ms waiting for a DM to user \d+\. 2 REST requests recorded, the last: .*GET \/users\/\d+ → 200/,
    );
  });

  it('rejects bad options with messages that name the field', async () => {
    await expect(FakeDiscord.start({ maxRecorded: 0 })).rejects.toThrow(/maxRecorded must be a positive integer/);
    await expect(FakeDiscord.start({ application: { owner: { members: [] } } })).rejects.toThrow(
      /team with no members/,
    );
    const discord = await startFake();
    expect(() => discord.failNext({ path: '/x', status: 200 })).toThrow(/status must be an HTTP error status/);
    expect(() => discord.interaction({ type: 'command', command: 'x' })).toThrow(/no gateway session/);
    expect(() => discord.interaction({ type: 'command', command: 'x', user: '42' })).toThrow(/unknown user 42/);
  });
});

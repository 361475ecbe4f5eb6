// The gateway protocol of FakeDiscord, spoken by a raw WebSocket client: errors, RESUME refusal, zlib-stream.
import { once } from 'node:events';
import { createInflate } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFake } from './fake-discord-helpers.js';

interface Frame {
  op: number;
  t: string | null;
  s: number | null;
  d: Record<string, unknown> | null;
}

/** A raw gateway client that queues JSON frames (inflating zlib-stream when asked). */
async function connect(url: string, compress = false) {
  const socket = new WebSocket(`${url}?v=10&encoding=json${compress ? '&compress=zlib-stream' : ''}`);
  const frames: Frame[] = [];
  const waiting: (() => void)[] = [];
  const push = (text: string) => {
    frames.push(JSON.parse(text) as Frame);
    for (const wake of waiting.splice(0)) wake();
  };
  if (compress) {
    const inflate = createInflate();
    let pending = '';
    inflate.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      try {
        push(pending);
        pending = '';
      } catch {
        // an incomplete frame: wait for the rest
      }
    });
    socket.on('message', (data: Buffer) => inflate.write(data));
  } else {
    socket.on('message', (data: Buffer) => push(data.toString('utf8')));
  }
  const closed = once(socket, 'close') as Promise<[number, Buffer]>;
  await once(socket, 'open');
  return {
    socket,
    send: (frame: Record<string, unknown>) => socket.send(JSON.stringify(frame)),
    async next(): Promise<Frame> {
      while (frames.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      return frames.shift() as Frame;
    },
    async closeCode(): Promise<number> {
      const [code] = await closed;
      return code;
    },
  };
}

describe('FakeDiscord gateway protocol', () => {
  it('sends HELLO, READY and GUILD_CREATE with increasing sequence numbers, and ACKs heartbeats', async () => {
    const discord = await startFake({ heartbeatIntervalMs: 1234 });
    const gateway = await connect(discord.gatewayUrl);
    expect(await gateway.next()).toMatchObject({ op: 10, d: { heartbeat_interval: 1234 } });
    gateway.send({ op: 1, d: null });
    expect(await gateway.next()).toMatchObject({ op: 11 });
    gateway.send({ op: 2, d: { token: discord.token, intents: 1, properties: {}, shard: [0, 1] } });
    const ready = await gateway.next();
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1 });
    expect(ready.d).toMatchObject({
      user: { id: discord.botUser.id, bot: true },
      application: { id: discord.application.id, flags: 0 },
      guilds: [{ id: discord.guilds()[0]?.id, unavailable: true }],
      shard: [0, 1],
      resume_gateway_url: discord.gatewayUrl,
    });
    expect(await gateway.next()).toMatchObject({ op: 0, t: 'GUILD_CREATE', s: 2 });
    gateway.socket.close(1000);
    await gateway.closeCode();
  });

  it('closes with 4004 on a wrong token, 4010 on an invalid shard, 4003 before IDENTIFY, 4005 on a second IDENTIFY', async () => {
    const discord = await startFake();
    const cases: [Record<string, unknown>[], number][] = [
      [[{ op: 2, d: { token: 'not-the-token', shard: [0, 1] } }], 4004],
      [[{ op: 2, d: { token: discord.token, shard: [2, 2] } }], 4010],
      [[{ op: 3, d: { status: 'online' } }], 4003],
      [
        [
          { op: 2, d: { token: discord.token, shard: [0, 1] } },
          { op: 2, d: { token: discord.token, shard: [0, 1] } },
        ],
        4005,
      ],
    ];
    for (const [frames, code] of cases) {
      const gateway = await connect(discord.gatewayUrl);
      for (const frame of frames) gateway.send(frame);
      expect(await gateway.closeCode()).toBe(code);
    }
  });

  it('refuses RESUME of an unknown session with INVALID_SESSION (d: false)', async () => {
    const discord = await startFake();
    const gateway = await connect(discord.gatewayUrl);
    await gateway.next();
    gateway.send({ op: 6, d: { token: discord.token, session_id: 'no-such-session', seq: 3 } });
    expect(await gateway.next()).toMatchObject({ op: 9, d: false });
    gateway.socket.close(1000);
    await gateway.closeCode();
  });

  it('speaks zlib-stream when the client asks for compress=zlib-stream', async () => {
    const discord = await startFake();
    const gateway = await connect(discord.gatewayUrl, true);
    expect(await gateway.next()).toMatchObject({ op: 10 });
    gateway.send({ op: 2, d: { token: discord.token, shard: [0, 1] } });
    expect(await gateway.next()).toMatchObject({ t: 'READY' });
    expect(await gateway.next()).toMatchObject({ t: 'GUILD_CREATE' });
    gateway.socket.close(1000);
    await gateway.closeCode();
  });

  it('ends the session on a normal close, so it cannot be resumed', async () => {
    const discord = await startFake();
    const gateway = await connect(discord.gatewayUrl);
    await gateway.next();
    gateway.send({ op: 2, d: { token: discord.token, shard: [0, 1] } });
    const ready = await gateway.next();
    expect(discord.sessions()).toHaveLength(1);
    gateway.socket.close(1000);
    await gateway.closeCode();
    await expect.poll(() => discord.sessions()).toEqual([]);
    const again = await connect(discord.gatewayUrl);
    await again.next();
    again.send({ op: 6, d: { token: discord.token, session_id: ready.d?.session_id, seq: 1 } });
    expect(await again.next()).toMatchObject({ op: 9, d: false });
    again.socket.close(1000);
    await again.closeCode();
  });
});

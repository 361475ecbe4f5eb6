// Shared setup for FakeDiscord tests: every fake and Client made here is closed after each test.
import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import { afterEach } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions, type ShardInfo } from '../../src/testing/index.js';

const clients: Client[] = [];
const fakes: FakeDiscord[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

export async function startFake(options?: FakeDiscordOptions): Promise<FakeDiscord> {
  const discord = await FakeDiscord.start(options);
  fakes.push(discord);
  return discord;
}

export function newClient(
  discord: FakeDiscord,
  options: { shard?: ShardInfo; extra?: Partial<ClientOptions> } = {},
): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options.extra,
    ...discord.clientOptions(options.shard ? { shard: options.shard } : {}),
  });
  clients.push(client);
  return client;
}

/** Logs in and waits for `clientReady` (all guilds received). */
export async function loginReady(client: Client, discord: FakeDiscord): Promise<Client<true>> {
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  if (!client.isReady()) throw new Error('client is not ready after clientReady');
  return client;
}

/** A fake with a logged-in Client. */
export async function readyClient(
  options?: FakeDiscordOptions,
  clientOptions?: Partial<ClientOptions>,
): Promise<{ discord: FakeDiscord; client: Client<true> }> {
  const discord = await startFake(options);
  const client = await loginReady(newClient(discord, clientOptions ? { extra: clientOptions } : {}), discord);
  return { discord, client };
}

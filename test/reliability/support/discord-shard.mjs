// One shard process of a discord.js bot with two modules of one suite, on a shared Redis store:
// `node discord-shard.mjs <redisUrl> <dsn> <discordApi> <token> <shard> <shardCount> <modules,comma,separated>`.
// Prints {"event":"idle"} once logged in and done with its notices, then waits for "quit" on stdin.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { attachDiscord } from '../../../dist/esm/src/discord/index.js';
import { createTelemetry, redisStore } from '../../../dist/esm/src/index.js';

const [url, dsn, api, token, shard, count, modules] = process.argv.slice(2);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const telemetry = createTelemetry({
  suite: 'acme-plugins',
  dsn,
  store: redisStore({ url }),
  botToken: token,
  env: {},
  logger: quiet,
});
for (const name of modules.split(',')) telemetry.module({ name, version: '1.0.0' });
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api },
  shards: [Number(shard)],
  shardCount: Number(count),
});
const attachment = attachDiscord(telemetry, client, { command: 'acme-telemetry' });
const ready = once(client, Events.ClientReady);
await client.login(token);
await ready;
await attachment.idle();
process.stdout.write(`${JSON.stringify({ event: 'idle', shard: Number(shard) })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
}
attachment.detach();
await client.destroy();
await telemetry.shutdown();
process.exit(0);

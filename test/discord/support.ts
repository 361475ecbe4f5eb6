// A bot as a test runs it: createTelemetry (file store on a temp folder, FakeSentry DSN), the suite's modules, a
// real discord.js Client logged into FakeDiscord, and attachDiscord. Everything made here is closed after each test.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import { afterEach } from 'vitest';
import { type AttachDiscordOptions, attachDiscord, type DiscordAttachment } from '../../src/discord/index.js';
import { createTelemetry, fileStore, type Telemetry, type TelemetryModule } from '../../src/index.js';
import { internalsOf } from '../../src/suite/index.js';
import {
  FakeDiscord,
  type FakeDiscordOptions,
  FakeSentry,
  type ShardInfo,
  type StoredMessage,
} from '../../src/testing/index.js';
import { captureLogger } from '../support/logger.js';

export const SUITE = 'acme-plugins';
export const COMMAND = 'acme-telemetry';
export const DOCS = 'https://acme.example/telemetry';

export interface Bot {
  client: Client<true>;
  telemetry: Telemetry;
  attachment: DiscordAttachment;
  modules: Record<string, TelemetryModule>;
  logger: ReturnType<typeof captureLogger>;
  stop(): Promise<void>;
}

export interface BotOptions {
  /** Module names, registered before the client logs in (as plugins load before the bot connects). */
  modules?: string[];
  attach?: Partial<AttachDiscordOptions>;
  env?: Record<string, string>;
  policyVersion?: number;
  shard?: ShardInfo;
  clientOptions?: Partial<ClientOptions>;
  /** Default: the world's folder, so restarts and shards share the settings. */
  dir?: string;
  /** Runs after attachDiscord, before login (a bot that asks for its owners while it starts). */
  beforeLogin?: (attachment: DiscordAttachment) => Promise<void>;
}

const running: Bot[] = [];
const fakes: FakeDiscord[] = [];
const sentries: FakeSentry[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.stop()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  await Promise.all(sentries.splice(0).map((sentry) => sentry.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export interface World {
  discord: FakeDiscord;
  sentry: FakeSentry;
  dir: string;
  /** Starts a bot (a new process, as far as consentry can tell) and waits until its notices are done. */
  start(options?: BotOptions): Promise<Bot>;
}

export async function world(discordOptions?: FakeDiscordOptions): Promise<World> {
  const discord = await FakeDiscord.start(discordOptions);
  fakes.push(discord);
  const sentry = await FakeSentry.start();
  sentries.push(sentry);
  const dir = await mkdtemp(join(tmpdir(), 'consentry-discord-'));
  dirs.push(dir);
  return { discord, sentry, dir, start: (options = {}) => startBot(discord, sentry, dir, options) };
}

async function startBot(discord: FakeDiscord, sentry: FakeSentry, dir: string, options: BotOptions): Promise<Bot> {
  const logger = captureLogger();
  const telemetry = createTelemetry({
    suite: SUITE,
    dsn: sentry.dsn,
    policyVersion: options.policyVersion ?? 1,
    docsUrl: DOCS,
    store: fileStore({ dir: options.dir ?? dir }),
    botToken: discord.token,
    logger,
    env: options.env ?? {},
  });
  const modules: Record<string, TelemetryModule> = {};
  for (const name of options.modules ?? ['status']) modules[name] = telemetry.module({ name, version: '1.0.0' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options.clientOptions,
    ...discord.clientOptions(options.shard ? { shard: options.shard } : {}),
  });
  const attachment = attachDiscord(telemetry, client, { command: COMMAND, ...options.attach });
  let stopped: Promise<void> | undefined;
  const bot: Bot = {
    client: client as Client<true>,
    telemetry,
    attachment,
    modules,
    logger,
    stop: () => {
      stopped ??= (async () => {
        attachment.detach();
        await client.destroy();
        await telemetry.shutdown();
      })();
      return stopped;
    },
  };
  running.push(bot);
  await options.beforeLogin?.(attachment);
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  await attachment.idle();
  return bot;
}

/** The suite's internals (settings, session id) as the adapter sees them. */
export function internals(bot: Bot) {
  const found = internalsOf(bot.telemetry);
  if (!found) throw new Error('telemetry has no internals');
  return found;
}

/** DMs the bot sent to a user, oldest first. */
export function dmTexts(discord: FakeDiscord, userId: string): string[] {
  return discord.dms(userId).map((message) => message.content);
}

export function buttonIds(message: StoredMessage | undefined): string[] {
  const rows = (message?.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>;
  return rows.flatMap((row) => (row.components ?? []).map((button) => String(button.custom_id)));
}

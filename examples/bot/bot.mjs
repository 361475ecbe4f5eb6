// A plain discord.js bot that loads acme's two modules. Its error handling is its own: consentry wraps only the
// modules' handlers and hands their errors on to the bot, unchanged.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import * as notes from '../acme-suite/notes/index.mjs';
import * as status from '../acme-suite/status/index.mjs';

export const MODULES = [status, notes];

// The bot's own command, with a bug of its own (it assumes a second shard): an error consentry never reports.
const STATS_COMMAND = { name: 'stats', description: 'How the bot is doing' };

const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** What failed, as the bot's log names it: `/note sync`, `/stats`, or `a messageCreate listener`. */
function failedHandler(event, [first]) {
  if (event === Events.InteractionCreate && first?.isChatInputCommand?.()) {
    const subcommand = first.options.getSubcommand(false);
    return `/${first.commandName}${subcommand ? ` ${subcommand}` : ''}`;
  }
  return `a ${String(event)} listener`;
}

/**
 * Logs the bot in with its modules loaded.
 * @param {{ token: string, clientOptions?: object, config?: object, log?: Pick<Console, 'info' | 'warn' | 'error'> }} options
 *   `config` is handed to every module (data folder, update URL, telemetry options the host injects).
 */
export async function startBot({ token, clientOptions = {}, config = {}, log = console }) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], ...clientOptions });

  // The bot's own error handling. discord.js catches the rejection of every async listener (captureRejections) and
  // hands it to this hook with the event's name and arguments, so the log can say which command failed; without
  // the hook it would only reach the `error` event, with no word of where it came from.
  client[Symbol.for('nodejs.rejection')] = (error, event, ...args) =>
    log.error(`[bot] ${failedHandler(event, args)} failed: ${describe(error)}`);
  client.on(Events.Error, (error) => log.error(`[bot] discord.js reported an error: ${describe(error)}`));
  client.on(Events.Warn, (message) => log.warn(`[bot] ${message}`));

  client.on(Events.InteractionCreate, async (interaction) => {
    if (!interaction.isChatInputCommand() || interaction.commandName !== STATS_COMMAND.name) return;
    const ping = client.ws.shards.get(1).ping; // throws: this bot has one shard
    await interaction.reply(`Ping: ${ping} ms, ${client.guilds.cache.size} servers`);
  });

  const modules = {};
  for (const module of MODULES) modules[module.name] = await module.load(client, config);

  const registered = new Promise((resolve) => {
    client.once(Events.ClientReady, async (ready) => {
      const commands = [STATS_COMMAND, ...Object.values(modules).flatMap((module) => module.commands)];
      // create() upserts one command; set() would erase the command consentry registers for the suite.
      for (const command of commands) {
        await ready.application.commands.create(command).catch((error) => log.error(`[bot] ${describe(error)}`));
      }
      resolve();
    });
  });

  await client.login(token);
  let stopped;
  return {
    client,
    modules,
    /** Resolves once the bot's commands are registered. */
    registered,
    stop() {
      stopped ??= (async () => {
        for (const module of Object.values(modules)) await module.unload();
        await client.destroy();
      })();
      return stopped;
    },
  };
}

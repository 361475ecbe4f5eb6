// acme's `notes` module: the `/note` command and a quick-notes message listener.
import { Events } from 'discord.js';
import { acmeTelemetry } from '../telemetry.mjs';
import { NOTE_COMMAND, noteCommand } from './commands.mjs';
import { quickNotes } from './quick-notes.mjs';

export const name = 'notes';
export const version = '2.0.1';

/**
 * Called by the bot when it loads the module. The bot registers `commands`.
 * @param {import('discord.js').Client} client
 * @param {{ telemetry?: object }} [config]
 */
export async function load(client, config = {}) {
  const suite = acmeTelemetry(client, config.telemetry);
  const mod = suite.telemetry.module({ name, version, root: import.meta.dirname });
  const notes = new Map();

  // Wrapped: an error is reported through this module only (scrubbed, if the owner agreed), the user gets a short
  // ephemeral reply, and the error is then handed on to the bot's own error handling, unchanged.
  const onInteraction = mod.command(noteCommand(mod, notes));
  const onMessage = mod.listener(quickNotes(mod, notes));
  client.on(Events.InteractionCreate, onInteraction);
  client.on(Events.MessageCreate, onMessage);

  return {
    name,
    version,
    commands: [NOTE_COMMAND],
    telemetry: suite.telemetry,
    discord: suite.discord,
    async unload() {
      client.off(Events.InteractionCreate, onInteraction);
      client.off(Events.MessageCreate, onMessage);
      await suite.release();
    },
  };
}

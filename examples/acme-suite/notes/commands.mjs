// The `/note` command: its definition (registered by the bot) and its handler.
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';

export const NOTE_COMMAND = {
  name: 'note',
  description: 'Short notes for this channel',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add a note',
      options: [{ type: ApplicationCommandOptionType.String, name: 'text', description: 'The note', required: true }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'The notes of this channel' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'sync',
      description: "Copy this channel's notes to acme cloud",
    },
  ],
};

// The sync backend this example pretends to use. It is never contacted: /note sync always fails, with an error
// message like the ones real bots produce (a request echoed with its headers), to show what scrubbing removes.
const SYNC_BACKEND = 'http://203.0.113.42:8080/v1/sync';
const SUPPORT_INVITE = 'https://discord.gg/AcmeNotes';

/** A handler for `interactionCreate`; the module wraps it with mod.command(). */
export function noteCommand(mod, notes) {
  // Named, so that the frames of its errors say handleNoteCommand instead of an anonymous function.
  return async function handleNoteCommand(interaction) {
    if (!interaction.isChatInputCommand() || interaction.commandName !== NOTE_COMMAND.name) return;
    const channelNotes = notes.get(interaction.channelId) ?? [];
    switch (interaction.options.getSubcommand()) {
      case 'add': {
        channelNotes.push(interaction.options.getString('text', true));
        notes.set(interaction.channelId, channelNotes);
        await interaction.reply({
          content: `Noted (${channelNotes.length} in this channel).`,
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      case 'list': {
        const text = channelNotes.map((note, i) => `${i + 1}. ${note}`).join('\n') || 'No notes here yet.';
        await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
        return;
      }
      case 'sync': {
        mod.logger.info(`sync of ${channelNotes.length} notes requested by ${interaction.user.id}`);
        throw new Error(
          `sync for user ${interaction.user.id} failed: POST ${SYNC_BACKEND} with "Authorization: Bot ${interaction.client.token}" ` +
            `answered 502 (ask in ${SUPPORT_INVITE})`,
        );
      }
    }
  };
}

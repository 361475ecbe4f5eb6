import { type InteractionReplyOptions, MessageFlags, type RepliableInteraction } from 'discord.js';

/** Answers only the person who asked: a reply, or a follow-up when the interaction was already answered or deferred. */
export async function answer(
  interaction: RepliableInteraction,
  payload: Omit<InteractionReplyOptions, 'flags'> & { content?: string },
): Promise<void> {
  const ephemeral = { ...payload, flags: MessageFlags.Ephemeral } as const;
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply(payload);
  } else if (interaction.replied) {
    await interaction.followUp(ephemeral);
  } else {
    await interaction.reply(ephemeral);
  }
}

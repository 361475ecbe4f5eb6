// Quick notes: a message "note: buy milk #home" is saved under its tag. (Reading message text needs the Message
// Content intent on a real bot; without it this listener sees empty messages and does nothing.)

/** A handler for `messageCreate`; the module wraps it with mod.listener(). */
export function quickNotes(mod, notes) {
  return async function handleQuickNote(message) {
    if (message.author.bot || !message.content.startsWith('note:')) return;
    mod.logger.info(`quick note from ${message.author.id} in channel ${message.channelId}`);
    // The bug this example keeps on purpose: a note without a #tag makes `match` return null.
    const [, tag] = message.content.match(/#(\w+)/);
    const key = `${message.channelId}#${tag}`;
    notes.set(key, [...(notes.get(key) ?? []), message.content.slice(5).trim()]);
  };
}

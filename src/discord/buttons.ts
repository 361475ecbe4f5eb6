import { createHash } from 'node:crypto';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  version as discordJsVersion,
  MessageFlags,
} from 'discord.js';
import type { AdapterContext } from './context.js';
import { decidedBy, plainMessage } from './context.js';
import { BUTTON_LABELS, exampleIntro, levelChanged, NO_DSN, NOT_OWNER, refused } from './texts.js';

/** The notice's buttons: a level to choose, or the example of what is sent. */
export type ButtonAction = 'all' | 'errors' | 'manual' | 'example';
const ACTIONS: readonly ButtonAction[] = ['all', 'errors', 'manual', 'example'];

/** `consentry:<action>:<suite>`, or a hash of the suite when that is longer than Discord's 100 characters. */
export function buttonId(suite: string, action: ButtonAction): string {
  const plain = `consentry:${action}:${suite}`;
  if (plain.length <= 100) return plain;
  return `consentry:${action}:#${createHash('sha256').update(suite).digest('hex').slice(0, 32)}`;
}

/** The action of one of this suite's buttons, or undefined for any other button. */
export function parseButtonId(suite: string, customId: string): ButtonAction | undefined {
  return ACTIONS.find((action) => buttonId(suite, action) === customId);
}

/** The notice's buttons; when something stronger than the owner decides, only the example. */
export function noticeButtons(suite: string, locked: boolean): ActionRowBuilder<ButtonBuilder>[] {
  const button = (action: ButtonAction, style: ButtonStyle) =>
    new ButtonBuilder().setCustomId(buttonId(suite, action)).setLabel(BUTTON_LABELS[action]).setStyle(style);
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (!locked) {
    row.addComponents(
      button('all', ButtonStyle.Success),
      button('errors', ButtonStyle.Primary),
      button('manual', ButtonStyle.Secondary),
    );
  }
  row.addComponents(button('example', ButtonStyle.Secondary));
  return [row];
}

/** A click on one of the notice's buttons, from a DM or the fallback channel. Owners only, checked now. */
export async function handleButton(
  context: AdapterContext,
  interaction: ButtonInteraction,
  action: ButtonAction,
): Promise<void> {
  const { telemetry, internals, words } = context;
  const ephemeral = MessageFlags.Ephemeral;
  if (!(await context.owners.isOwner(interaction.user.id))) {
    await interaction.reply({ content: NOT_OWNER, flags: ephemeral });
    return;
  }
  if (action === 'example') {
    await interaction.deferReply({ flags: ephemeral });
    const json = await internals.example({ 'discord.js': discordJsVersion, 'discord.interaction': 'command' });
    if (json === undefined) {
      await interaction.editReply({ content: NO_DSN(words.suite) });
      return;
    }
    const file = new AttachmentBuilder(Buffer.from(json, 'utf8'), { name: `${words.suite}-example-report.json` });
    await interaction.editReply({ content: exampleIntro(words), files: [file] });
    return;
  }
  try {
    const status = await telemetry.consent.set(action, { by: decidedBy(interaction.user.id) });
    await interaction.reply({ content: levelChanged(words, status), flags: ephemeral });
  } catch (error) {
    await interaction.reply({ content: refused(plainMessage(error, words.suite)), flags: ephemeral });
  }
}

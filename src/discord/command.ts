import {
  ApplicationIntegrationType,
  AttachmentBuilder,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import { ReportNotFoundError } from '../suite/index.js';
import { type AdapterContext, decidedBy, plainMessage } from './context.js';
import { statusEmbed } from './status-embed.js';
import {
  COMMAND,
  cannotSendWhileOff,
  failed,
  forgotten,
  hintChanged,
  levelChanged,
  NOT_OWNER,
  refused,
  reportNotFound,
  reportPreview,
  reportSent,
  sentList,
} from './texts.js';

// Lines in the reply (Discord allows 2000 characters); the whole record is attached.
const SENT_LINES = 12;

/**
 * The suite's command as Discord wants it: subcommands status, enable [level], disable, send code, preview code,
 * hint state, forget, sent. Usable in servers and in the bot's DMs; shown in servers to administrators only (the owner
 * check happens when it runs). For bots that deploy their commands themselves (`registerCommand: false`).
 */
export function telemetryCommandData(command: string, suite: string): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const code = (option: SlashCommandStringOption) =>
    option.setName('code').setDescription(COMMAND.code).setRequired(true).setMinLength(1).setMaxLength(32);
  return new SlashCommandBuilder()
    .setName(command)
    .setDescription(COMMAND.description(suite))
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
    .addSubcommand((sub) => sub.setName('status').setDescription(COMMAND.status))
    .addSubcommand((sub) =>
      sub
        .setName('enable')
        .setDescription(COMMAND.enable)
        .addStringOption((option) =>
          option
            .setName('level')
            .setDescription(COMMAND.enableLevel)
            .addChoices({ name: 'errors', value: 'errors' }, { name: 'all', value: 'all' }),
        ),
    )
    .addSubcommand((sub) => sub.setName('disable').setDescription(COMMAND.disable))
    .addSubcommand((sub) => sub.setName('send').setDescription(COMMAND.send).addStringOption(code))
    .addSubcommand((sub) => sub.setName('preview').setDescription(COMMAND.preview).addStringOption(code))
    .addSubcommand((sub) =>
      sub
        .setName('hint')
        .setDescription(COMMAND.hint)
        .addStringOption((option) =>
          option
            .setName('state')
            .setDescription(COMMAND.hintState)
            .setRequired(true)
            .addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' }),
        ),
    )
    .addSubcommand((sub) => sub.setName('forget').setDescription(COMMAND.forget))
    .addSubcommand((sub) => sub.setName('sent').setDescription(COMMAND.sent))
    .toJSON();
}

/** Runs one subcommand for an owner; everyone else is refused. Every answer is ephemeral. */
export async function handleCommand(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const { telemetry } = context;
  if (!(await context.owners.isOwner(interaction.user.id))) {
    await replyEphemeral(interaction, NOT_OWNER);
    return;
  }
  switch (interaction.options.getSubcommand(false) ?? 'status') {
    case 'enable': {
      const level = interaction.options.getString('level') === 'errors' ? 'errors' : 'all';
      await setLevel(context, interaction, level);
      return;
    }
    case 'disable':
      await setLevel(context, interaction, 'off');
      return;
    case 'forget':
      await forget(context, interaction);
      return;
    case 'hint':
      await setHint(context, interaction);
      return;
    case 'preview':
      await preview(context, interaction);
      return;
    case 'send':
      await send(context, interaction);
      return;
    case 'sent':
      await listSent(context, interaction);
      return;
    default: {
      const status = await telemetry.consent.status();
      await interaction.reply({ embeds: [statusEmbed(context, status)], flags: MessageFlags.Ephemeral });
    }
  }
}

const replyEphemeral = (interaction: ChatInputCommandInteraction, content: string) =>
  interaction.reply({ content, flags: MessageFlags.Ephemeral });

const failure = (context: AdapterContext, error: unknown) => failed(plainMessage(error, context.words.suite));

/** The `code` option as the reports store it: trimmed, upper case. */
const codeOption = (interaction: ChatInputCommandInteraction) =>
  interaction.options.getString('code', true).trim().toUpperCase();

async function setLevel(
  context: AdapterContext,
  interaction: ChatInputCommandInteraction,
  level: 'errors' | 'all' | 'off',
): Promise<void> {
  const { telemetry, words } = context;
  try {
    const by = decidedBy(interaction.user.id);
    await replyEphemeral(interaction, levelChanged(words, await telemetry.consent.set(level, { by })));
  } catch (error) {
    await replyEphemeral(interaction, refused(plainMessage(error, words.suite)));
  }
}

async function forget(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  try {
    await replyEphemeral(interaction, forgotten(context.words, (await context.telemetry.consent.forget()).userId));
  } catch (error) {
    await replyEphemeral(interaction, failure(context, error));
  }
}

async function setHint(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const on = interaction.options.getString('state', true) === 'on';
  try {
    await context.internals.consent.updateSettings((settings) => ({ ...settings, showManualHint: on }));
    await replyEphemeral(interaction, hintChanged(context.words, on));
  } catch (error) {
    await replyEphemeral(interaction, failure(context, error));
  }
}

async function preview(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const code = codeOption(interaction);
  const json = context.telemetry.reports.preview(code);
  if (json === undefined) {
    await replyEphemeral(interaction, reportNotFound(code));
    return;
  }
  const file = new AttachmentBuilder(Buffer.from(json, 'utf8'), { name: `report-${code}.json` });
  await interaction.reply({
    content: reportPreview(context.words, code),
    files: [file],
    flags: MessageFlags.Ephemeral,
  });
}

async function send(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const { telemetry, words } = context;
  const code = codeOption(interaction);
  const status = await telemetry.consent.status();
  if (status.level === 'off') {
    await replyEphemeral(interaction, cannotSendWhileOff(status));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const eventId = await telemetry.reports.send(code);
    await interaction.editReply({ content: reportSent(words, code, eventId) });
  } catch (error) {
    const content = error instanceof ReportNotFoundError ? reportNotFound(code) : failure(context, error);
    await interaction.editReply({ content });
  }
}

async function listSent(context: AdapterContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const entries = await context.telemetry.sent.list();
    const files = entries.length
      ? [new AttachmentBuilder(Buffer.from(JSON.stringify(entries, null, 2), 'utf8'), { name: 'sent.json' })]
      : [];
    await interaction.editReply({ content: sentList(context.words, entries, SENT_LINES), files });
  } catch (error) {
    await interaction.editReply({ content: failure(context, error) });
  }
}

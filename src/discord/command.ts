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
  const { telemetry, internals, words } = context;
  const ephemeral = MessageFlags.Ephemeral;
  const reply = (content: string) => interaction.reply({ content, flags: ephemeral });
  if (!(await context.owners.isOwner(interaction.user.id))) {
    await reply(NOT_OWNER);
    return;
  }
  const subcommand = interaction.options.getSubcommand(false) ?? 'status';
  const by = decidedBy(interaction.user.id);
  const failure = (error: unknown) => failed(plainMessage(error, words.suite));
  const setLevel = async (level: 'errors' | 'all' | 'off') => {
    try {
      await reply(levelChanged(words, await telemetry.consent.set(level, { by })));
    } catch (error) {
      await reply(refused(plainMessage(error, words.suite)));
    }
  };

  switch (subcommand) {
    case 'enable': {
      const level = interaction.options.getString('level') === 'errors' ? 'errors' : 'all';
      await setLevel(level);
      return;
    }
    case 'disable':
      await setLevel('off');
      return;
    case 'forget':
      try {
        await reply(forgotten(words, (await telemetry.consent.forget()).userId));
      } catch (error) {
        await reply(failure(error));
      }
      return;
    case 'hint': {
      const on = interaction.options.getString('state', true) === 'on';
      try {
        await internals.consent.updateSettings((settings) => ({ ...settings, showManualHint: on }));
        await reply(hintChanged(words, on));
      } catch (error) {
        await reply(failure(error));
      }
      return;
    }
    case 'preview': {
      const code = interaction.options.getString('code', true).trim().toUpperCase();
      const json = telemetry.reports.preview(code);
      if (json === undefined) {
        await reply(reportNotFound(code));
        return;
      }
      const file = new AttachmentBuilder(Buffer.from(json, 'utf8'), { name: `report-${code}.json` });
      await interaction.reply({ content: reportPreview(words, code), files: [file], flags: ephemeral });
      return;
    }
    case 'send': {
      const code = interaction.options.getString('code', true).trim().toUpperCase();
      const status = await telemetry.consent.status();
      if (status.level === 'off') {
        await reply(cannotSendWhileOff(status));
        return;
      }
      await interaction.deferReply({ flags: ephemeral });
      try {
        const eventId = await telemetry.reports.send(code);
        await interaction.editReply({ content: reportSent(words, code, eventId) });
      } catch (error) {
        const content = error instanceof ReportNotFoundError ? reportNotFound(code) : failure(error);
        await interaction.editReply({ content });
      }
      return;
    }
    case 'sent': {
      await interaction.deferReply({ flags: ephemeral });
      try {
        const entries = await telemetry.sent.list();
        const files = entries.length
          ? [new AttachmentBuilder(Buffer.from(JSON.stringify(entries, null, 2), 'utf8'), { name: 'sent.json' })]
          : [];
        await interaction.editReply({ content: sentList(words, entries, SENT_LINES), files });
      } catch (error) {
        await interaction.editReply({ content: failure(error) });
      }
      return;
    }
    default: {
      const status = await telemetry.consent.status();
      await interaction.reply({ embeds: [statusEmbed(context, status)], flags: ephemeral });
    }
  }
}

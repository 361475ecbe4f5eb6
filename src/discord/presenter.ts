import { version as discordJsVersion, type Interaction, MessageFlags } from 'discord.js';
import type { HandlerErrorContext, HandlerErrorHook } from '../suite/index.js';
import type { AdapterContext } from './context.js';
import { ERROR_REPLY, ownerPendingHint, ownerReportedHint, PERMISSION_REPLY } from './texts.js';
import { discordErrorCode, isUserSideError, PERMISSION_ERROR_CODES } from './user-errors.js';

/** The interaction among a handler's arguments that came through this client, if any. */
function interactionOf(context: AdapterContext, args: readonly unknown[]): Interaction | undefined {
  return args.find(
    (arg): arg is Interaction =>
      typeof arg === 'object' &&
      arg !== null &&
      (arg as { client?: unknown }).client === context.client &&
      typeof (arg as { isRepliable?: unknown }).isRepliable === 'function',
  );
}

function interactionKind(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return 'command';
  if (interaction.isContextMenuCommand()) return 'context-menu';
  if (interaction.isButton()) return 'button';
  if (interaction.isAnySelectMenu()) return 'select-menu';
  if (interaction.isModalSubmit()) return 'modal';
  if (interaction.isAutocomplete()) return 'autocomplete';
  return 'other';
}

/**
 * The discord.js side of `mod.command()` / `mod.listener()` errors: tags for the event, which Discord errors are the
 * user's side, and the short ephemeral answer to whoever triggered the handler (with instructions for owners).
 */
export function createPresenter(context: AdapterContext): HandlerErrorHook {
  const { words, internals } = context;
  return {
    isUserSide: (error) => !context.options.reportUserErrors && isUserSideError(error),

    tags(args) {
      const interaction = interactionOf(context, args);
      const tags: Record<string, string> = { 'discord.js': discordJsVersion };
      if (interaction) {
        tags['discord.interaction'] = interactionKind(interaction);
        if (interaction.isCommand()) tags['discord.command'] = interaction.commandName;
      }
      return tags;
    },

    async present({ args, error, outcome }: HandlerErrorContext) {
      const interaction = interactionOf(context, args);
      if (!interaction?.isRepliable()) return;
      const code = discordErrorCode(error);
      const lines = [code !== undefined && PERMISSION_ERROR_CODES.has(code) ? PERMISSION_REPLY : ERROR_REPLY];
      if (outcome?.status === 'pending' || outcome?.status === 'queued') {
        const hintOn = internals.consent.settings()?.showManualHint !== false;
        const wantsHint = outcome.status === 'queued' || hintOn;
        if (wantsHint && (await context.owners.isOwner(interaction.user.id))) {
          lines.push(outcome.status === 'pending' ? ownerPendingHint(words, outcome.code) : ownerReportedHint(words));
        }
      }
      const payload = { content: lines.join('\n\n'), flags: MessageFlags.Ephemeral } as const;
      try {
        if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
        else await interaction.reply(payload);
      } catch {
        // The interaction may have expired or been answered meanwhile; the error is handed on either way.
      }
    },
  };
}

import { ConsentryConfigError } from '../errors/index.js';
import { type OptionNames, showValue } from '../log/index.js';

/** A Discord team role whose members count as owners. */
export type OwnerRole = 'admin' | 'developer' | 'read_only';

export interface AttachDiscordOptions {
  /**
   * The slash command's name, unique to the suite so suites never collide, e.g. `acme-telemetry`
   * (1-32 lower-case letters, digits, `-` or `_`).
   */
  command: string;
  /** Members of an owning team with these roles are owners (the team's owner always is). Default admin, developer. */
  ownerRoles?: readonly OwnerRole[] | undefined;
  /** More user ids that count as owners (get the notices and may use the command). */
  extraOwnerIds?: readonly string[] | undefined;
  /** A channel for the notices when no owner can be reached by direct message. */
  fallbackChannelId?: string | undefined;
  /**
   * Report errors on the user's or Discord's side too (missing permissions, unknown or expired interaction,
   * unknown message…). Default false: those are shown to the user and handed on, not reported.
   */
  reportUserErrors?: boolean | undefined;
  /**
   * Register the command with `application.commands.create` (an upsert that leaves the bot's other commands alone)
   * once the client is ready. Default true. Set false if the bot deploys its commands itself: include
   * `telemetryCommandData(command)` in what it deploys.
   */
  registerCommand?: boolean | undefined;
}

export const DISCORD_OPTION_NAMES: OptionNames<AttachDiscordOptions> = {
  command: true,
  ownerRoles: true,
  extraOwnerIds: true,
  fallbackChannelId: true,
  reportUserErrors: true,
  registerCommand: true,
};

export interface ResolvedDiscordOptions {
  command: string;
  ownerRoles: readonly OwnerRole[];
  extraOwnerIds: readonly string[];
  fallbackChannelId: string | undefined;
  reportUserErrors: boolean;
  registerCommand: boolean;
}

const COMMAND_NAME = /^[a-z0-9_-]{1,32}$/;
const SNOWFLAKE = /^\d{17,20}$/;
const ROLES: readonly OwnerRole[] = ['admin', 'developer', 'read_only'];

/** Checks the options of attachDiscord(); throws one ConsentryConfigError naming each wrong option and its fix. */
export function resolveDiscordOptions(input: AttachDiscordOptions): ResolvedDiscordOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConsentryConfigError(
      'options',
      `consentry: attachDiscord(telemetry, client, options) needs an options object; got ${showValue(input)}. ` +
        "Fix: attachDiscord(telemetry, client, { command: 'acme-telemetry' }).",
    );
  }
  const problems: [option: string, message: string][] = [];
  if (typeof input.command !== 'string' || !COMMAND_NAME.test(input.command)) {
    problems.push([
      'command',
      `option \`command\` must be 1-32 lower-case letters, digits, '-' or '_', named after the suite so suites ` +
        `never collide, e.g. 'acme-telemetry'; got ${showValue(input.command)}.`,
    ]);
  }
  const ownerRoles = input.ownerRoles ?? ['admin', 'developer'];
  if (!Array.isArray(ownerRoles) || ownerRoles.some((role) => !ROLES.includes(role))) {
    problems.push([
      'ownerRoles',
      `option \`ownerRoles\` must be a list of ${ROLES.join(', ')}; got ${showValue(input.ownerRoles)}.`,
    ]);
  }
  const extraOwnerIds = input.extraOwnerIds ?? [];
  if (!Array.isArray(extraOwnerIds) || extraOwnerIds.some((id) => typeof id !== 'string' || !SNOWFLAKE.test(id))) {
    problems.push([
      'extraOwnerIds',
      `option \`extraOwnerIds\` must be a list of Discord user ids as strings (17-20 digits); got ${showValue(input.extraOwnerIds)}.`,
    ]);
  }
  if (
    input.fallbackChannelId !== undefined &&
    (typeof input.fallbackChannelId !== 'string' || !SNOWFLAKE.test(input.fallbackChannelId))
  ) {
    problems.push([
      'fallbackChannelId',
      `option \`fallbackChannelId\` must be a Discord channel id as a string (17-20 digits); got ${showValue(input.fallbackChannelId)}.`,
    ]);
  }
  for (const flag of ['reportUserErrors', 'registerCommand'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') {
      problems.push([flag, `option \`${flag}\` must be true or false; got ${showValue(input[flag])}.`]);
    }
  }
  const first = problems[0];
  if (first) {
    throw new ConsentryConfigError(
      first[0],
      `consentry: attachDiscord(): ${problems.map(([, message]) => message).join(' Also, ')}`,
    );
  }
  return {
    command: input.command,
    ownerRoles: [...new Set(ownerRoles)],
    extraOwnerIds: [...new Set(extraOwnerIds)],
    fallbackChannelId: input.fallbackChannelId,
    reportUserErrors: input.reportUserErrors === true,
    registerCommand: input.registerCommand !== false,
  };
}

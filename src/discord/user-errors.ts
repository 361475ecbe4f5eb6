import { DiscordAPIError } from 'discord.js';

/**
 * Discord API error codes caused by the user, the server's setup or time passing, not by a bug in the module:
 * not reported unless `reportUserErrors: true`.
 */
export const USER_SIDE_ERROR_CODES: ReadonlySet<number> = new Set([
  10003, // Unknown channel
  10004, // Unknown guild
  10007, // Unknown member
  10008, // Unknown message
  10011, // Unknown role
  10013, // Unknown user
  10015, // Unknown webhook (an interaction token older than 15 minutes)
  10062, // Unknown interaction (not answered within 3 seconds)
  50001, // Missing access
  50007, // Cannot send messages to this user (DMs closed)
  50013, // Missing permissions
  50278, // Cannot send messages to this user (no shared server)
]);

/** Missing access or permissions: the user is told so. */
export const PERMISSION_ERROR_CODES: ReadonlySet<number> = new Set([50001, 50013]);

/** The Discord error code of a DiscordAPIError (also one from another copy of discord.js), else undefined. */
export function discordErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; rawError?: unknown; url?: unknown; name?: unknown };
  const looksLikeOne =
    error instanceof DiscordAPIError ||
    (typeof candidate.rawError === 'object' &&
      typeof candidate.url === 'string' &&
      typeof candidate.name === 'string' &&
      candidate.name.startsWith('DiscordAPIError'));
  return looksLikeOne && typeof candidate.code === 'number' ? candidate.code : undefined;
}

export function isUserSideError(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code !== undefined && USER_SIDE_ERROR_CODES.has(code);
}

// consentry/discord: the discord.js adapter. The only part of consentry that imports discord.js (an optional peer).
export { attachDiscord, type DiscordAttachment } from './attach.js';
export { telemetryCommandData } from './command.js';
export type { AttachDiscordOptions, OwnerRole } from './options.js';
export { isUserSideError, USER_SIDE_ERROR_CODES } from './user-errors.js';

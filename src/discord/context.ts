import type { Client } from 'discord.js';
import type { onceLogger } from '../log/index.js';
import type { Telemetry, TelemetryInternals } from '../suite/index.js';
import type { ResolvedDiscordOptions } from './options.js';
import type { Owners } from './owners.js';
import type { NoticeContext } from './texts.js';

/** What the parts of one attachDiscord() share. */
export interface AdapterContext {
  telemetry: Telemetry;
  internals: TelemetryInternals;
  client: Client;
  options: ResolvedDiscordOptions;
  owners: Owners;
  /** Suite, command name and docs link, for the texts. */
  words: NoticeContext;
  once: ReturnType<typeof onceLogger>;
}

/** Who decided, as recorded with the level. */
export const decidedBy = (userId: string) => `discord:${userId}`;

/** An error's message without the `consentry: <suite>: ` prefix, for a reply to an owner. */
export function plainMessage(error: unknown, suite: string): string {
  const message = (error as Error)?.message ?? String(error);
  return message.replace(/^consentry: /, '').replace(new RegExp(`^${suite.replace(/[.]/g, '\\.')}: `), '');
}

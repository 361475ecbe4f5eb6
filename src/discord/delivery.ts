import type { BaseMessageOptions, Client } from 'discord.js';
import { type HostLogger, onceLogger } from '../log/index.js';
import { fallbackPrefix, LOG } from './texts.js';
import { discordErrorCode } from './user-errors.js';

/** DMs that fail for good: closed DMs (50007), no shared server (50278). */
const UNREACHABLE = new Set([50007, 50278]);

export interface Delivery {
  /**
   * Sends one notice to each owner by direct message, once: a failure is logged once per owner and never retried.
   * When nobody got it, it goes to the fallback channel (if set). Resolves with who got it; never rejects.
   */
  deliver(ownerIds: readonly string[], message: BaseMessageOptions & { content: string }): Promise<Delivered>;
}

/** Who a notice reached: the owners it was sent to by DM, and whether it went to the fallback channel instead. */
export interface Delivered {
  owners: string[];
  channel: boolean;
}

export const reachedAnyone = (delivered: Delivered): boolean => delivered.owners.length > 0 || delivered.channel;

export function createDelivery(options: {
  client: Client;
  suite: string;
  logger: HostLogger;
  fallbackChannelId: string | undefined;
}): Delivery {
  const { client, suite, logger, fallbackChannelId } = options;
  const once = onceLogger(logger);
  // Owners whose DMs are closed: not asked again in this run (a closed door is not knocked on in a loop).
  const unreachable = new Set<string>();

  const describe = (error: unknown) => {
    const code = discordErrorCode(error);
    const message = (error as Error)?.message ?? String(error);
    return code === undefined ? message : `Discord error ${code}: ${message}`;
  };

  const toFallback = async (message: BaseMessageOptions & { content: string }): Promise<boolean> => {
    if (!fallbackChannelId) {
      once.report('no-owner', 'warn', LOG.noOwner(suite));
      return false;
    }
    try {
      const channel = await client.channels.fetch(fallbackChannelId);
      if (!channel?.isSendable()) throw new Error('it is not a channel the bot can send messages to');
      await channel.send({ ...message, content: `${fallbackPrefix(suite)}${message.content}`.slice(0, 2000) });
      once.clear('fallback');
      return true;
    } catch (error) {
      once.report('fallback', 'warn', LOG.fallbackFailed(suite, fallbackChannelId, describe(error)));
      return false;
    }
  };

  return {
    async deliver(ownerIds, message) {
      const delivered: string[] = [];
      for (const id of ownerIds) {
        if (unreachable.has(id)) continue;
        try {
          await client.users.send(id, message);
          delivered.push(id);
        } catch (error) {
          const code = discordErrorCode(error);
          const skipped = code !== undefined && UNREACHABLE.has(code);
          if (skipped) unreachable.add(id);
          once.report(`dm:${id}`, 'warn', LOG.dmFailed(suite, id, describe(error), skipped));
        }
      }
      const channel = delivered.length === 0 && (await toFallback(message));
      return { owners: delivered, channel };
    },
  };
}

import type { createClient as CreateClient, RedisClientType } from 'redis';

// Any node-redis client; the store only calls plain commands on it.
// biome-ignore lint/suspicious/noExplicitAny: node-redis client types carry module/script generics we do not use.
export type AnyRedisClient = RedisClientType<any, any, any, any, any>;

/** The Redis store's connections: one for commands (its own, or the user's) and a duplicate for change messages. */
export interface RedisConnections {
  readonly commandClient: AnyRedisClient;
  /** The command client with the command timeout applied. */
  readonly commands: AnyRedisClient;
  readonly subscriber: AnyRedisClient;
  /** True when consentry opened the command connection (from `url`) and so closes it. */
  readonly ownsCommandClient: boolean;
}

/** Creates the clients without connecting them (the store attaches its handlers first). */
export function openRedisConnections(
  url: string | undefined,
  client: AnyRedisClient | undefined,
  createClient: typeof CreateClient | undefined,
  timeout: number,
): RedisConnections {
  const ownsCommandClient = url !== undefined;
  const commandClient: AnyRedisClient = createClient
    ? (createClient({
        url,
        disableOfflineQueue: true,
        socket: { connectTimeout: 5_000, reconnectStrategy: reconnectDelay },
      }) as AnyRedisClient)
    : (client as AnyRedisClient);
  const subscriber: AnyRedisClient = commandClient.duplicate({
    disableOfflineQueue: false,
    socket: { ...(commandClient.options?.socket ?? {}), reconnectStrategy: reconnectDelay },
  } as never) as AnyRedisClient;
  const commands = commandClient.withCommandOptions({ timeout }) as AnyRedisClient;
  return { commandClient, commands, subscriber, ownsCommandClient };
}

/** Connects a client if asked; resolves at the first success or failure (the client keeps reconnecting by itself). */
export function connectOnce(client: AnyRedisClient, shouldConnect: boolean): Promise<void> {
  if (!shouldConnect || client.isOpen) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      client.off('ready', done);
      client.off('error', done);
      resolve();
    };
    client.on('ready', done);
    client.on('error', done);
    client.connect().catch(() => {});
  });
}

export async function quietClose(client: AnyRedisClient): Promise<void> {
  try {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  } catch {
    try {
      client.destroy();
    } catch {
      // Already closed.
    }
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}

function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100);
}

// The suite's one telemetry, shared by all of acme's modules: one owner decision covers every module.
// Each module calls acmeTelemetry(client) when the bot loads it, and release() when it unloads; the first call creates
// the telemetry and attaches it to the client, the last release shuts it down.
import { createTelemetry } from 'consentry';
import { attachDiscord } from 'consentry/discord';

export const SUITE = 'acme-plugins';
export const COMMAND = 'acme-telemetry';
export const DOCS_URL = 'https://acme.example/telemetry';

const perClient = new WeakMap();

/**
 * @param {import('discord.js').Client} client
 * @param {{ dsn?: string, store?: import('consentry').Store, logger?: object, env?: object }} [options]
 *   What the bot may inject; a published suite would hard-code its own DSN here instead of reading the environment.
 */
export function acmeTelemetry(client, options = {}) {
  let shared = perClient.get(client);
  if (!shared) {
    const telemetry = createTelemetry({
      suite: SUITE,
      dsn: options.dsn ?? process.env.CONSENTRY_DSN,
      policyVersion: 1,
      docsUrl: DOCS_URL,
      botToken: () => client.token,
      ...(options.store ? { store: options.store } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    const discord = attachDiscord(telemetry, client, { command: COMMAND });
    shared = { telemetry, discord, users: 0 };
    perClient.set(client, shared);
  }
  shared.users++;
  const current = shared;
  let released = false;
  return {
    telemetry: current.telemetry,
    discord: current.discord,
    /** The module is unloading; the last one out shuts the telemetry down (sessions ended, queue flushed). */
    async release() {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      perClient.delete(client);
      current.discord.detach();
      await current.telemetry.shutdown();
    },
  };
}

// acme's `status` module: an hourly update check (a loop) and a settings migration when it loads.
import { acmeTelemetry } from '../telemetry.mjs';
import { readSettings, settingsFile, toVersion2, writeSettings } from './settings.mjs';
import { checkForUpdates } from './updates.mjs';

export const name = 'status';
export const version = '1.4.0';

/**
 * Called by the bot when it loads the module.
 * @param {import('discord.js').Client} client
 * @param {{ dataDir?: string, updateUrl?: string, updateEvery?: number, telemetry?: object }} [config]
 */
export async function load(client, config = {}) {
  const suite = acmeTelemetry(client, config.telemetry);
  const mod = suite.telemetry.module({ name, version, root: import.meta.dirname });

  const file = settingsFile(config.dataDir ?? '.');
  let settings = await readSettings(file);
  if (settings.version === 1) {
    // Traced and logged: its lines become breadcrumbs, a failure is captured (and rethrown: loading stops).
    settings = await mod.migration('settings', { from: 1, to: 2 }, async () => {
      const next = toVersion2(settings);
      await writeSettings(file, next);
      return next;
    });
  }

  let lastCheck;
  const updates =
    settings.updates.enabled && config.updateUrl
      ? mod.loop('check-updates', { every: config.updateEvery ?? 3_600_000, jitter: 0.1 }, async (span) => {
          const check = await checkForUpdates(mod, span, config.updateUrl, version);
          if (check.newer && check.latest !== lastCheck?.latest) {
            mod.logger.info(`update available: ${version} → ${check.latest}`);
          }
          lastCheck = check;
        })
      : undefined;
  if (!updates) mod.logger.info('update checks are off (disabled in the settings, or no update URL configured)');

  return {
    name,
    version,
    commands: [],
    telemetry: suite.telemetry,
    discord: suite.discord,
    settings,
    updates,
    lastCheck: () => lastCheck,
    async unload() {
      await updates?.stop();
      await suite.release();
    },
  };
}

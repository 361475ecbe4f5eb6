// The same bot in process mode: the bot's author owns the whole process and preloads consentry, so tracing and
// crash capture start before anything else (HTTP requests made inside acme's tasks become child spans):
//
//   CONSENTRY_SUITE=acme-plugins CONSENTRY_DSN=… DISCORD_TOKEN=… node --import consentry/instrumentation examples/bot/process-mode.mjs
//
// Without DISCORD_TOKEN it makes a short offline run instead: a fake Discord on 127.0.0.1, a few update checks, a
// clean exit (ACME_ITERATIONS, default 3).
import { fileStore } from 'consentry';
import { processMode } from 'consentry/instrumentation';
import { startBot } from './bot.mjs';
import { runForReal } from './index.mjs';

if (!processMode)
  console.warn('[bot] process mode is off: start with node --import consentry/instrumentation (see above)');
// The suite's settings live where process mode reads them, so both follow the same owner decision.
const telemetry = processMode ? { store: fileStore({ dir: processMode.config.dir }) } : {};

if (process.env.DISCORD_TOKEN) {
  await runForReal({ config: { telemetry } });
} else {
  await offlineRun(Number(process.env.ACME_ITERATIONS ?? 3));
}

async function offlineRun(iterations) {
  const { FakeDiscord } = await import('consentry/testing');
  const { startUpdateServer } = await import('../demo/update-server.mjs');
  const discord = await FakeDiscord.start();
  const updates = await startUpdateServer();
  const bot = await startBot({
    token: discord.token,
    clientOptions: discord.clientOptions(),
    config: { dataDir: '.', updateUrl: updates.url, updateEvery: 100, telemetry },
  });
  const status = bot.modules.status;
  while (status.updates.status().iterations <= iterations) await new Promise((resolve) => setTimeout(resolve, 20));
  const level = (await status.telemetry.consent.status()).level;
  await bot.stop();
  await Promise.all([discord.close(), updates.close()]);
  console.info(
    `[bot] offline run: ${iterations} update checks at level ${level}, process mode ${processMode ? 'on' : 'off'}; stopping`,
  );
}

// The bot for real: DISCORD_TOKEN=… [CONSENTRY_DSN=…] [ACME_UPDATE_URL=…] node examples/bot/index.mjs
// Runs until Ctrl-C. Consent settings live in ./.consentry (the owner is asked once, by direct message).
import { startBot } from './bot.mjs';

export async function runForReal({ token = process.env.DISCORD_TOKEN, config = {} } = {}) {
  if (!token) throw new Error('DISCORD_TOKEN is not set: give the bot token, or run `npm start` for the offline demo');
  process.on('unhandledRejection', (reason) => console.error('[bot] unhandled rejection:', reason));
  const bot = await startBot({
    token,
    config: { dataDir: '.', updateUrl: process.env.ACME_UPDATE_URL, ...config },
  });
  console.info(`[bot] logged in as ${bot.client.user.tag}; Ctrl-C stops it`);
  const stop = async () => {
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return bot;
}

if (import.meta.main) await runForReal();

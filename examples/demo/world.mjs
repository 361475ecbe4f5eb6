// Everything the offline runs need on 127.0.0.1: a fake Discord (with an owner and one member), acme's update
// endpoint, a fresh folder for the settings, and a fake Sentry unless CONSENTRY_DSN names a real one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStore } from 'consentry';
import { FakeDiscord, FakeSentry } from 'consentry/testing';
import { writeSettings } from '../acme-suite/status/settings.mjs';
import { startUpdateServer } from './update-server.mjs';

/** `otlp: false`: the fake Sentry answers 404 on its OTLP route, as GlitchTip, Spotlight and self-hosted Sentry do. */
export async function startWorld({ dsn, otlp = true } = {}) {
  const discord = await FakeDiscord.start({ botUser: { username: 'Acme Demo Bot' } });
  // A fixed id (Discord's documentation example), so the report shows the same [SHORTENED-ID-…] on every run.
  const member = String(discord.addUser({ id: '81384788765712384', username: 'robin' }).id);
  const sentry = dsn ? undefined : await FakeSentry.start({ otlp });
  const updates = await startUpdateServer();
  const dir = await mkdtemp(join(tmpdir(), 'consentry-demo-'));
  // The status module last ran with its version 1 settings: loading it migrates them.
  await writeSettings(join(dir, 'status', 'settings.json'), { version: 1, checkUpdates: true, announceChannel: null });
  return {
    discord,
    sentry,
    updates,
    dir,
    member,
    guildId: String(discord.guilds()[0]?.id),
    dsn: dsn ?? sentry.dsn,
    store: () => fileStore({ dir: join(dir, '.consentry') }),
    async close() {
      await Promise.allSettled([discord.close(), sentry?.close(), updates.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

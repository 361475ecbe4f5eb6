// npm start. Without DISCORD_TOKEN: the offline demo (a fake Discord and a fake Sentry on 127.0.0.1, a scripted
// scenario, a report, exit 0 when the scenario held). With DISCORD_TOKEN: the example bot for real, until Ctrl-C.
// Honours DO_NOT_TRACK, CONSENTRY_DISABLED, CONSENTRY_LEVEL, CONSENTRY_DEBUG and CONSENTRY_DSN; DEMO_NO_OTLP=1 gives the
// fake Sentry no OTLP route (as GlitchTip and Spotlight), so the spans go as transaction envelopes.
if (process.env.DISCORD_TOKEN) {
  const { runForReal } = await import('./demo/for-real.mjs');
  await runForReal();
} else {
  const { runOfflineDemo } = await import('./demo/offline.mjs');
  process.exitCode = await runOfflineDemo();
}

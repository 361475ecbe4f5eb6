// Test helpers for plugin authors: FakeSentry and FakeDiscord, real servers on 127.0.0.1.

export * from './fake-discord/index.js';
export * from './fake-sentry/index.js';

// isOwnError on real stacks: modules written to a temporary "bot" folder and run, as a host would load them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOwnError } from '../../src/sentry/index.js';
import { reporterFor, startSentry } from './support.js';

type Fn = () => unknown;
interface Bot {
  host: { run(fn: Fn): unknown; fail(): never };
  discord: { emit(fn: Fn): unknown; fail(): never };
  plugin: { fail(): never; viaDiscord(): unknown; callHost(fn: Fn): unknown; viaOwnDependency(): unknown };
  otherPlugin: { fail(): never };
  folderPlugin: { fail(): never };
}

let dir: string;
let root: string;
let folderRoot: string;
let bot: Bot;

const files: Record<string, string> = {
  'bot/index.mjs': 'export const run = (fn) => fn();\nexport function fail() { throw new Error("host"); }\n',
  'bot/node_modules/discordish/index.mjs':
    'export const emit = (fn) => fn();\nexport function fail() { throw new Error("inside discord.js"); }\n',
  'bot/node_modules/acme-status/index.mjs': [
    'import { fail as discordFail } from "../discordish/index.mjs";',
    'import { fail as depFail } from "./node_modules/own-dep/index.mjs";',
    'export function fail() { throw new Error("plugin"); }',
    'export function viaDiscord() { return discordFail(); }',
    'export function callHost(fn) { return fn(); }',
    'export function viaOwnDependency() { return depFail(); }',
    '',
  ].join('\n'),
  'bot/node_modules/acme-status/node_modules/own-dep/index.mjs':
    'export function fail() { throw new Error("own dependency"); }\n',
  'bot/node_modules/other-plugin/index.mjs': 'export function fail() { throw new Error("other plugin"); }\n',
  'bot/plugins/status/index.mjs': 'export function fail() { throw new Error("folder plugin"); }\n',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'consentry-own-frames-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const load = (path: string) => import(pathToFileURL(join(dir, path)).href);
  bot = {
    host: await load('bot/index.mjs'),
    discord: await load('bot/node_modules/discordish/index.mjs'),
    plugin: await load('bot/node_modules/acme-status/index.mjs'),
    otherPlugin: await load('bot/node_modules/other-plugin/index.mjs'),
    folderPlugin: await load('bot/plugins/status/index.mjs'),
  };
  root = join(dir, 'bot/node_modules/acme-status');
  folderRoot = join(dir, 'bot/plugins/status');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: Fn): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('isOwnError', () => {
  it('an error thrown in the module, called by the host', () => {
    expect(
      isOwnError(
        thrown(() => bot.host.run(bot.plugin.fail)),
        root,
      ),
    ).toBe(true);
  });

  it('an error thrown in a dependency on behalf of the module', () => {
    expect(
      isOwnError(
        thrown(() => bot.host.run(bot.plugin.viaDiscord)),
        root,
      ),
    ).toBe(true);
    expect(
      isOwnError(
        thrown(() => bot.plugin.viaOwnDependency()),
        root,
      ),
    ).toBe(true);
  });

  it('not an error thrown in a dependency on behalf of the host', () => {
    expect(
      isOwnError(
        thrown(() => bot.host.run(bot.discord.fail)),
        root,
      ),
    ).toBe(false);
    expect(
      isOwnError(
        thrown(() => bot.discord.emit(bot.host.fail)),
        root,
      ),
    ).toBe(false);
  });

  it("not the host's error, even when the module called the host", () => {
    expect(
      isOwnError(
        thrown(() => bot.plugin.callHost(bot.host.fail)),
        root,
      ),
    ).toBe(false);
  });

  it("not another plugin's error", () => {
    expect(
      isOwnError(
        thrown(() => bot.host.run(bot.otherPlugin.fail)),
        root,
      ),
    ).toBe(false);
    expect(
      isOwnError(
        thrown(() => bot.host.run(bot.plugin.fail)),
        join(dir, 'bot/node_modules/other-plugin'),
      ),
    ).toBe(false);
  });

  it('a module in a plain folder, and a root given as a file URL', () => {
    const error = thrown(() => bot.host.run(bot.folderPlugin.fail));
    expect(isOwnError(error, folderRoot)).toBe(true);
    expect(isOwnError(error, pathToFileURL(folderRoot).href)).toBe(true);
    expect(isOwnError(error, join(dir, 'bot/plugins/stat'))).toBe(false);
    expect(isOwnError(error, root)).toBe(false);
  });

  it('false for values without a stack, and never throws', () => {
    expect(isOwnError('a string', root)).toBe(false);
    expect(isOwnError(null, root)).toBe(false);
    expect(isOwnError({ stack: 42 }, root)).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(isOwnError(hostile, root)).toBe(false);
  });

  it('the reporter applies it with its own root; without a root nothing is its own', async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'off', { root });
    const { reporter: rootless } = reporterFor(sentry.dsn, 'off');
    const error = thrown(() => bot.host.run(bot.plugin.fail));
    expect(reporter.isOwnError(error)).toBe(true);
    expect(reporter.isOwnError(thrown(() => bot.host.fail()))).toBe(false);
    expect(rootless.isOwnError(error)).toBe(false);
  });

  it("on the wire: with a root only the module's own frames are in_app; without, Sentry counts the host's too", async () => {
    const sentry = await startSentry();
    const { reporter } = reporterFor(sentry.dsn, 'errors', { root });
    const { reporter: rootless } = reporterFor(sentry.dsn, 'errors');
    const error = thrown(() => bot.host.run(() => bot.plugin.callHost(bot.host.fail)));
    reporter.captureError(error, { tags: { case: 'root' } });
    rootless.captureError(error, { tags: { case: 'rootless' } });
    await sentry.waitFor('event', (event) => event.tags?.case === 'root');
    await sentry.waitFor('event', (event) => event.tags?.case === 'rootless');
    const frames = (kase: string) => {
      const event = sentry.events().find((received) => received.tags?.case === kase);
      const all = event?.exception?.values?.[0]?.stacktrace?.frames ?? [];
      const at = (file: string) => all.filter((frame) => frame.filename?.endsWith(file)).map((frame) => frame.in_app);
      return { plugin: at('acme-status/index.mjs'), host: at('bot/index.mjs'), test: at('own-frames.test.ts') };
    };
    // The stack runs test → host → plugin → host: the plugin's frame is the module's, every other frame is not.
    expect(frames('root')).toEqual({ plugin: [true], host: [false, false], test: expect.arrayContaining([false]) });
    expect(frames('root').test.every((inApp) => inApp === false)).toBe(true);
    expect(frames('rootless')).toMatchObject({ plugin: [false], host: [true, true] });
  });
});

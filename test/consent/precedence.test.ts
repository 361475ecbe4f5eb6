import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConsentLevel, type ConsentSource, createConsent } from '../../src/consent/index.js';
import { memoryStore } from '../../src/store/index.js';
import { assertBuilt, root } from '../support/built.js';
import { startNode } from '../support/child.js';
import { captureLogger } from '../support/logger.js';

interface Source {
  name: Exclude<ConsentSource, 'default'>;
  env?: Record<string, string>;
  code?: ConsentLevel;
  owner?: ConsentLevel;
  level: ConsentLevel;
  /** What the reason must quote: the deciding variable or option. */
  reasonMentions: string;
}

// Strongest first. Levels differ where they can, so a wrong winner shows in the level too.
const SOURCES: Source[] = [
  { name: 'DO_NOT_TRACK', env: { DO_NOT_TRACK: '1' }, level: 'off', reasonMentions: 'DO_NOT_TRACK=1' },
  {
    name: 'CONSENTRY_DISABLED',
    env: { CONSENTRY_DISABLED: '1' },
    level: 'off',
    reasonMentions: 'CONSENTRY_DISABLED=1',
  },
  {
    name: 'CONSENTRY_LEVEL',
    env: { CONSENTRY_LEVEL: 'errors' },
    level: 'errors',
    reasonMentions: 'CONSENTRY_LEVEL=errors',
  },
  { name: 'code', code: 'all', level: 'all', reasonMentions: "level: 'all'" },
  { name: 'ci', env: { CI: 'true' }, level: 'off', reasonMentions: 'environment variable CI' },
  { name: 'owner', owner: 'manual', level: 'manual', reasonMentions: "The owner chose 'manual'" },
];

async function statusFor(sources: Source[]) {
  const store = memoryStore();
  const owner = sources.find((source) => source.owner)?.owner;
  if (owner) await store.update('acme', () => ({ version: 2, level: owner, decidedBy: 'owner:1' }));
  const consent = createConsent({
    suite: 'acme',
    store,
    env: Object.assign({}, ...sources.map((source) => source.env ?? {})),
    level: sources.find((source) => source.code)?.code,
    policyVersion: 1,
    logger: captureLogger(),
  });
  const status = await consent.status();
  const refusal = await consent.set('errors', { by: 'test' }).then(
    () => undefined,
    (error: Error) => error.message,
  );
  await consent.close();
  return { status, refusal };
}

const subsets = Array.from({ length: 2 ** SOURCES.length }, (_, mask) =>
  SOURCES.filter((_, index) => mask & (1 << index)),
);

describe('consent precedence: DO_NOT_TRACK / CONSENTRY_DISABLED > CONSENTRY_LEVEL > code > CI > owner > default', () => {
  it.each(
    SOURCES.flatMap((stronger, i) => SOURCES.slice(i + 1).map((weaker) => [stronger.name, weaker.name] as const)),
  )('%s wins over %s, and the reason names it', async (strongerName, weakerName) => {
    const stronger = SOURCES.find((source) => source.name === strongerName) as Source;
    const weaker = SOURCES.find((source) => source.name === weakerName) as Source;
    const { status } = await statusFor([weaker, stronger]);
    expect(status.source).toBe(stronger.name);
    expect(status.level).toBe(stronger.level);
    expect(status.reason).toContain(stronger.reasonMentions);
  });

  it.each(subsets.map((subset) => [subset.map((source) => source.name).join(' + ') || 'nothing', subset] as const))(
    'with %s set, the strongest decides',
    async (_label, subset) => {
      const { status, refusal } = await statusFor(subset);
      const winner = subset[0];
      if (!winner) {
        expect(status).toMatchObject({ level: 'manual', source: 'default', locked: false });
        expect(status.reason).toMatch(/No one has chosen yet.*'manual'/);
        expect(refusal).toBeUndefined();
        return;
      }
      expect(status.source).toBe(winner.name);
      expect(status.level).toBe(winner.level);
      expect(status.reason).toContain(winner.reasonMentions);
      if (winner.name === 'owner') {
        expect(status.locked).toBe(false);
        expect(refusal).toBeUndefined();
      } else {
        // Anything above the owner locks the level; set() names what to remove.
        expect(status.locked).toBe(true);
        expect(refusal).toContain(winner.name === 'code' ? "option level: 'all'" : winner.reasonMentions);
      }
    },
  );
});

describe('environment variables', () => {
  it.each(['0', 'false', '', 'no'])(
    'DO_NOT_TRACK=%j and CONSENTRY_DISABLED=%j do not turn telemetry off',
    async (value) => {
      const { status } = await statusFor([
        { name: 'ci', env: { DO_NOT_TRACK: value, CONSENTRY_DISABLED: value }, level: 'manual', reasonMentions: '' },
      ]);
      expect(status.source).toBe('default');
    },
  );

  it('reads CONSENTRY_LEVEL case-insensitively', async () => {
    const { status } = await statusFor([
      { name: 'CONSENTRY_LEVEL', env: { CONSENTRY_LEVEL: ' ALL ' }, level: 'all', reasonMentions: '' },
    ]);
    expect(status).toMatchObject({ level: 'all', source: 'CONSENTRY_LEVEL' });
  });

  it('treats a CONSENTRY_LEVEL that is not a level as off, says why, and warns once', async () => {
    const logger = captureLogger();
    const consent = createConsent({
      suite: 'acme',
      store: memoryStore(),
      env: { CONSENTRY_LEVEL: 'everything' },
      policyVersion: 1,
      logger,
    });
    const status = await consent.status();
    expect(status).toMatchObject({ level: 'off', source: 'CONSENTRY_LEVEL', locked: true });
    expect(status.reason).toContain('CONSENTRY_LEVEL=everything is not a level');
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('off, manual, errors, all');
    await consent.close();
  });

  it('CI=false switches CI detection off, and any vendor-neutral CI variable switches it on', async () => {
    const off = await statusFor([
      { name: 'ci', env: { CI: 'false', BUILD_NUMBER: '7' }, level: 'off', reasonMentions: '' },
    ]);
    expect(off.status.source).toBe('default');
    const on = await statusFor([{ name: 'ci', env: { BUILD_NUMBER: '7' }, level: 'off', reasonMentions: '' }]);
    expect(on.status.source).toBe('ci');
    expect(on.status.reason).toContain('BUILD_NUMBER');
  });
});

describe('a choice made under an older policy version', () => {
  async function statusUnderNewPolicy(level: ConsentLevel) {
    const store = memoryStore();
    await store.update('acme', () => ({ version: 2, level, decidedBy: 'owner:1', policyVersion: 1 }));
    const consent = createConsent({ suite: 'acme', store, env: {}, policyVersion: 2, logger: captureLogger() });
    const status = await consent.status();
    await consent.close();
    return status;
  }

  it.each(['errors', 'all'] as const)(
    "pauses an opt-in ('%s') at manual until the owner confirms again",
    async (level) => {
      const status = await statusUnderNewPolicy(level);
      expect(status).toMatchObject({ level: 'manual', source: 'owner', ownerLevel: level, decidedPolicyVersion: 1 });
      expect(status.reason).toContain('policy version 1');
      expect(status.reason).toContain('now version 2');
    },
  );

  it.each(['off', 'manual'] as const)("keeps an opt-out ('%s') as it was", async (level) => {
    const status = await statusUnderNewPolicy(level);
    expect(status).toMatchObject({ level, source: 'owner' });
    expect(status.reason).toContain('asked again');
  });
});

describe('CI detection on process.env uses ci-info’s vendor list', () => {
  const detect = async (env: Record<string, string>) => {
    assertBuilt();
    const script = `import(${JSON.stringify(join(root, 'dist/esm/src/consent/index.js'))}).then((m) => console.log(JSON.stringify(m.detectCi(process.env))))`;
    const clean = { PATH: process.env.PATH ?? '', ...env };
    return JSON.parse(await startNode(['-e', script], { env: clean }).succeeded());
  };

  it('recognises a vendor that sets no vendor-neutral variable', async () => {
    expect(await detect({ GITHUB_ACTIONS: 'true' })).toEqual({ isCI: true, name: 'GitHub Actions', variable: null });
  });

  it('does not mistake a bot hosted on Render or Heroku for a CI run', async () => {
    expect((await detect({ RENDER: 'true' })).isCI).toBe(false);
    expect((await detect({ NODE: '/app/.heroku/node/bin/node' })).isCI).toBe(false);
    expect((await detect({ RENDER: 'true', CI: 'true' })).isCI).toBe(true);
  });

  it('finds nothing in a clean environment', async () => {
    expect(await detect({})).toEqual({ isCI: false, name: null, variable: null });
  });
});

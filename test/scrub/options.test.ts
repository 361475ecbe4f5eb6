import { describe, expect, it } from 'vitest';
import { createScrubber, ScrubberOptionsError } from '../../src/scrub/index.js';

const ID = '123456789012345678';

describe('createScrubber options', () => {
  it('reads the current token from a function on every call', () => {
    let current = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
    const scrubber = createScrubber({ botToken: () => current, env: {} });
    expect(scrubber.string(`x ${current}`)).toBe('x [BOT-TOKEN]');
    const old = current;
    current = 'DDDDDDDDDDDDDDDDDDDDDDDD.EEEEEE.FFFFFFFFFFFFFFFFFFFFFFFFFFF';
    expect(scrubber.string(`x ${current}`)).toBe('x [BOT-TOKEN]');
    expect(scrubber.string(`x ${old}`)).toBe(`x ${old}`);
  });

  it('keeps the last known token when the token function throws', () => {
    const token = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
    let fail = false;
    const scrubber = createScrubber({
      botToken: () => {
        if (fail) throw new Error('client destroyed');
        return token;
      },
      env: {},
    });
    expect(scrubber.string(token)).toBe('[BOT-TOKEN]');
    fail = true;
    expect(scrubber.string(token)).toBe('[BOT-TOKEN]');
  });

  it("keeps the last token when the getter returns null or '' (before login, after client.destroy())", () => {
    const token = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
    let current: string | null = token;
    const scrubber = createScrubber({ botToken: () => current, env: {} });
    expect(scrubber.string(token)).toBe('[BOT-TOKEN]');
    for (const after of [null, '', undefined]) {
      current = after as string | null;
      expect(scrubber.string(`queued ${token}`)).toBe('queued [BOT-TOKEN]');
    }
  });

  it('accepts several tokens', () => {
    const a = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
    const b = 'DDDDDDDDDDDDDDDDDDDDDDDD.EEEEEE.FFFFFFFFFFFFFFFFFFFFFFFFFFF';
    expect(createScrubber({ botToken: [a, b], env: {} }).string(`${a} ${b}`)).toBe('[BOT-TOKEN] [BOT-TOKEN]');
  });

  it("ids: 'hash' gives a stable keyed hash that changes with the salt", () => {
    const one = createScrubber({ ids: 'hash', salt: 'salt-number-one', env: {} });
    const two = createScrubber({ ids: 'hash', salt: 'salt-number-two', env: {} });
    const a = one.string(`user ${ID}`);
    expect(a).toMatch(/^user \[ID-[0-9a-f]{10}\]$/);
    expect(one.string(`again ${ID}`)).toBe(`again ${a.slice(5)}`);
    expect(two.string(`user ${ID}`)).not.toBe(a);
  });

  it('rejects bad options with an error naming the option and the fix', () => {
    expect(() => createScrubber({ ids: 'hash' })).toThrow(/ids: 'hash' needs a salt.*salt:/);
    expect(() => createScrubber({ ids: 'short' as never })).toThrow(/ids must be 'shorten' or 'hash'/);
    expect(() => createScrubber({ botToken: 42 as never })).toThrow(/botToken must be a string/);
    expect(() => createScrubber({ limits: { maxDepth: -1 } })).toThrow(/limits.maxDepth must be a positive integer/);
    expect(() => createScrubber({ limits: { depth: 3 } as never })).toThrow(/unknown limit "depth"/);
    expect(() => createScrubber({ keepLoopback: 'yes' as never })).toThrow(ScrubberOptionsError);
  });

  it('replaces the working directory with {CWD}, before a HOME it lies in', () => {
    const scrubber = createScrubber({ env: { CWD: '/home/alice/bot', HOME: '/home/alice' } });
    expect(scrubber.string('at /home/alice/bot/plugins/x.js:1:1, cache in /home/alice/.npm')).toBe(
      'at {CWD}/plugins/x.js:1:1, cache in {HOME}/.npm',
    );
    const server = createScrubber({ env: { CWD: '/srv/acme-bot', HOME: '/home/alice' } });
    expect(server.string('file:///srv/acme-bot/index.js and /srv/acme-bot2/x')).toBe(
      'file://{CWD}/index.js and /srv/acme-bot2/x',
    );
    expect(createScrubber({ env: { CWD: '/' } }).string('/usr/lib/x.js')).toBe('/usr/lib/x.js');
  });

  it('takes the host name from COMPUTERNAME and HOSTNAME, given or from the process environment', () => {
    const given = createScrubber({ env: { COMPUTERNAME: 'ALICE-DESKTOP', HOSTNAME: 'alices-laptop.fritz.box' } });
    expect(given.string('ALICE-DESKTOP alices-laptop.fritz.box alices-laptop')).toBe(
      '{COMPUTERNAME} {COMPUTERNAME} {COMPUTERNAME}',
    );
    const saved = { COMPUTERNAME: process.env.COMPUTERNAME, HOSTNAME: process.env.HOSTNAME };
    try {
      process.env.COMPUTERNAME = 'BOBS-DESKTOP';
      process.env.HOSTNAME = 'bobs-laptop.local';
      expect(createScrubber().string('ENOTFOUND bobs-laptop.fritz.box on BOBS-DESKTOP')).toBe(
        'ENOTFOUND {COMPUTERNAME}.fritz.box on {COMPUTERNAME}',
      );
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('by default reads personal values from the process environment and the OS', async () => {
    const os = await import('node:os');
    const scrubber = createScrubber();
    expect(scrubber.string(`${os.homedir()}/bot/index.js`)).toBe('{HOME}/bot/index.js');
  });
});

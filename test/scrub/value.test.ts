import { describe, expect, it } from 'vitest';
import {
  CIRCULAR,
  createScrubber,
  DEFAULT_LIMITS,
  FILTERED,
  STRING_TRUNCATED_SUFFIX,
  TRUNCATED,
  UNREADABLE,
} from '../../src/scrub/index.js';

const TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const ID = '123456789012345678';
const SHORT = '[SHORTENED-ID-2216]';
const env = { HOME: '/home/alice', USERNAME: 'Alice' };
const scrubber = createScrubber({ botToken: TOKEN, env });

describe('value(): a scrubbed deep copy', () => {
  it('copies plain data and scrubs every string, keys included', () => {
    const input = { [`user-${ID}`]: { note: `token ${TOKEN}`, list: [ID, 1, true, null] } };
    const out = scrubber.value(input);
    expect(out).toEqual({ [`user-${SHORT}`]: { note: 'token [BOT-TOKEN]', list: [SHORT, 1, true, null] } });
    expect(input[`user-${ID}`].note).toContain(TOKEN);
  });

  it('keeps both values when two keys scrub to the same text', () => {
    const out = scrubber.value({ [`a ${ID}`]: 1, [`a ${SHORT}`]: 2 }) as Record<string, number>;
    expect(out).toEqual({ [`a ${SHORT}`]: 1, [`a ${SHORT} (2)`]: 2 });
  });

  it('filters values under secret-looking keys, whatever their type', () => {
    const out = scrubber.value({
      password: 'hunter2',
      apiKey: 12345,
      'X-Api-Key': 'k',
      headers: { Authorization: 'Basic abc', cookie: ['a=b'] },
      client_secret: { nested: 'x' },
      hasToken: true,
      token: null,
      tokenizer_name: 'bpe',
      name: 'fine',
    });
    expect(out).toEqual({
      password: FILTERED,
      apiKey: FILTERED,
      'X-Api-Key': FILTERED,
      headers: { Authorization: FILTERED, cookie: FILTERED },
      client_secret: FILTERED,
      hasToken: true,
      token: null,
      tokenizer_name: FILTERED,
      name: 'fine',
    });
  });

  it('replaces cycles with a marker but copies repeated (non-cyclic) references', () => {
    const shared = { id: ID };
    const a: Record<string, unknown> = { shared, again: shared };
    a.self = a;
    const list: unknown[] = [1];
    list.push(list);
    expect(scrubber.value(a)).toEqual({ shared: { id: SHORT }, again: { id: SHORT }, self: CIRCULAR });
    expect(scrubber.value(list)).toEqual([1, CIRCULAR]);
  });

  it('bounds depth, width, string length and total size with markers', () => {
    const small = createScrubber({
      env: {},
      limits: { maxDepth: 3, maxArrayLength: 2, maxKeys: 2, maxStringLength: 10, maxNodes: 1000 },
    });
    expect(small.value({ a: { b: { c: { d: 1 } } } })).toEqual({ a: { b: { c: TRUNCATED } } });
    expect(small.value([1, 2, 3, 4])).toEqual([1, 2, '[Truncated: 2 more items]']);
    expect(small.value({ a: 1, b: 2, c: 3 })).toEqual({ a: 1, b: 2, [TRUNCATED]: '1 more keys' });
    expect(small.value('x'.repeat(50))).toBe(`${'x'.repeat(10)}${STRING_TRUNCATED_SUFFIX}`);

    const tiny = createScrubber({ env: {}, limits: { maxNodes: 5 } });
    expect(tiny.value([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, TRUNCATED, TRUNCATED]);
  });

  it('bounds the total text copied per call, and a key first seen past the budget stays whole later', () => {
    const budgeted = createScrubber({ env: {}, limits: { maxTotalLength: 25_000, maxStringLength: 100_000 } });
    const out = budgeted.value(Array.from({ length: 10 }, () => 'x'.repeat(10_000))) as string[];
    expect(out.slice(0, 2).every((s) => s.length === 10_000)).toBe(true);
    expect(out[2]).toBe(`${'x'.repeat(5_000)}${STRING_TRUNCATED_SUFFIX}`);
    expect(out.slice(3)).toEqual(Array(7).fill(TRUNCATED));

    const late = budgeted.value({ big: 'y'.repeat(30_000), lateKey: 'v' }) as Record<string, unknown>;
    expect(late.lateKey).toBe(TRUNCATED);
    expect(budgeted.value({ lateKey: 'v' })).toEqual({ lateKey: 'v' });
  });

  it('survives 10,000 levels of nesting and a 10 MB string with bounded output', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const out = JSON.stringify(scrubber.value(deep));
    expect(out.length).toBeLessThan(1_000);
    expect(out).toContain(TRUNCATED);

    const huge = `${'a'.repeat(10_000_000)} ${TOKEN}`;
    const cut = scrubber.value(huge) as string;
    expect(cut.length).toBe(DEFAULT_LIMITS.maxStringLength + STRING_TRUNCATED_SUFFIX.length);
  });

  it('scrubs a secret that straddles the string cut instead of leaking its head', () => {
    const small = createScrubber({ botToken: TOKEN, env: {}, limits: { maxStringLength: 20 } });
    const out = small.value(`${'x'.repeat(15)} ${TOKEN}`) as string;
    expect(out).toBe(`${'x'.repeat(15)} [BOT${STRING_TRUNCATED_SUFFIX}`);
    expect(out).not.toContain('MTk4');
  });

  it('turns non-JSON values into safe text', () => {
    const fn = function handleCommand() {};
    const out = scrubber.value({
      big: BigInt(ID),
      small: 5n,
      sym: Symbol(`s ${ID}`),
      fn,
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      badDate: new Date(Number.NaN),
      buf: Buffer.from(TOKEN),
      bytes: new Uint8Array(3),
      ab: new ArrayBuffer(8),
      map: new Map<unknown, unknown>([[ID, { token: 'x' }]]),
      set: new Set([ID, 2]),
      re: /abc/g,
      url: new URL(`https://discord.gg/AbC123`),
      promise: Promise.resolve(1),
      rounded: Number(ID),
      nan: Number.NaN,
    });
    expect(out).toEqual({
      big: SHORT,
      small: '5',
      sym: `Symbol(s ${SHORT})`,
      fn: '[Function: handleCommand]',
      date: '2024-01-02T03:04:05.000Z',
      badDate: 'Invalid Date',
      buf: `[Buffer: ${TOKEN.length} bytes]`,
      bytes: '[Uint8Array: 3 bytes]',
      ab: '[ArrayBuffer: 8 bytes]',
      map: [[SHORT, { token: FILTERED }]],
      set: [SHORT, 2],
      re: '/abc/g',
      url: 'https://[DISCORD-INVITE-LINK]',
      promise: '[Promise]',
      rounded: '[SHORTENED-ID-2216]',
      nan: Number.NaN,
    });
  });

  it('copies Error objects: name, message, stack, cause and own fields, all scrubbed', () => {
    const cause = new Error(`cause for guild ${ID}`);
    const error = Object.assign(new TypeError(`bad token ${TOKEN} in /home/alice/bot`, { cause }), {
      code: 50013,
      url: `https://discord.com/api/v10/guilds/${ID}`,
    });
    const out = scrubber.value(error) as Record<string, unknown>;
    expect(out.name).toBe('TypeError');
    expect(out.message).toBe('bad token [BOT-TOKEN] in {HOME}/bot');
    expect(out.stack).toMatch(/^TypeError: bad token \[BOT-TOKEN\] in \{HOME\}\/bot\n\s+at /);
    expect(out.code).toBe(50013);
    expect(out.url).toBe(`https://discord.com/api/v10/guilds/${SHORT}`);
    expect((out.cause as Record<string, unknown>).message).toBe(`cause for guild ${SHORT}`);
  });

  it('never throws on hostile objects: throwing getters, proxies, throwing messages', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const trap = new Proxy(
      { a: 1 },
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const badMessage = new Error('x');
    Object.defineProperty(badMessage, 'message', {
      get() {
        throw new Error('message getter');
      },
    });
    const out = scrubber.value({ getter, revoked: revocable.proxy, trap, badMessage }) as Record<string, unknown>;
    expect(out.getter).toEqual({ ok: 1, boom: UNREADABLE });
    expect(out.revoked).toBe(UNREADABLE);
    expect(out.trap).toEqual({ a: UNREADABLE });
    expect((out.badMessage as Record<string, unknown>).message).toBe(UNREADABLE);
  });

  it('handles non-object throwables directly', () => {
    expect(scrubber.value(`thrown ${TOKEN}`)).toBe('thrown [BOT-TOKEN]');
    expect(scrubber.value(null)).toBeNull();
    expect(scrubber.value(undefined)).toBeUndefined();
    expect(scrubber.value(42)).toBe(42);
  });

  it('does not let a "__proto__" key change the copy\'s prototype', () => {
    const input = JSON.parse(`{"__proto__": {"polluted": "${ID}"}}`);
    const out = scrubber.value(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: SHORT });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

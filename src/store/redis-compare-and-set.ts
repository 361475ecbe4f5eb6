import { randomUUID } from 'node:crypto';
import { applyUpdates, suiteQueue } from './document.js';
import {
  adopt,
  assertOpen,
  decode,
  fetchCurrent,
  notify,
  type RedisStoreContext,
  type RedisSuiteState,
  type Revision,
  suiteState,
  unavailable,
} from './redis-store-state.js';

// Compare-and-set on (generation, revision): the document, its revision and a generation id (new each time the key
// is created, so a Redis that lost its data is not mistaken for an old revision) live in one hash. The change is
// published from inside the script, so subscribers see changes in the order they were stored.
const COMPARE_AND_SET = `
local state = redis.call('HMGET', KEYS[1], 'rev', 'gen')
local rev = tonumber(state[1] or '0')
local gen = state[2] or ''
if rev ~= tonumber(ARGV[1]) or gen ~= ARGV[4] then return '' end
if gen == '' then gen = ARGV[5] end
rev = rev + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', rev, 'gen', gen)
local version = gen .. ' ' .. rev
redis.call('PUBLISH', ARGV[3], version .. '\\n' .. ARGV[2])
return version
`;

/**
 * The Redis store's writer: each batch of updates is applied to the current revision and stored with a
 * compare-and-set; when another process stored a newer revision first, the batch is recomputed on top of it.
 */
export function redisWriteQueue(ctx: RedisStoreContext): ReturnType<typeof suiteQueue> {
  return suiteQueue(async (suite, batch) => {
    assertOpen(ctx);
    const st = suiteState(ctx, suite);
    for (let attempt = 0; ; attempt++) {
      let current: Revision;
      try {
        current = await fetchCurrent(ctx, st);
      } catch (error) {
        throw unavailable(ctx, error);
      }
      const document = current.text === undefined ? undefined : decode(ctx, st, current.text);
      const applied = applyUpdates(document, document === undefined ? undefined : current.text, batch);
      if (applied.nextText === undefined) {
        if (adopt(ctx, st, current)) notify(ctx, st);
        applied.settle();
        return;
      }
      const version = await compareAndSet(ctx, st, current, applied.nextText);
      if (version !== '') {
        const [gen = '', rev = '0'] = version.split(' ');
        if (adopt(ctx, st, { gen, rev: Number(rev), text: applied.nextText })) notify(ctx, st);
        applied.settle();
        return;
      }
      // Another process stored a newer revision first: recompute on top of it.
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
    }
  });
}

/** The stored version (`<gen> <rev>`), or '' when the hash is no longer at `current`. */
async function compareAndSet(
  ctx: RedisStoreContext,
  st: RedisSuiteState,
  current: Revision,
  nextText: string,
): Promise<string> {
  try {
    return String(
      await ctx.commands.eval(COMPARE_AND_SET, {
        keys: [st.key],
        arguments: [String(current.rev), nextText, st.channel, current.gen, randomUUID()],
      }),
    );
  } catch (error) {
    throw unavailable(ctx, error);
  }
}

// Snowflake ids for the fake: real timestamps (so discord.js computes sane createdAt values), unique per process.
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A new, unique snowflake id (as a decimal string). */
export function snowflake(): string {
  return fromTimestamp(BigInt(Date.now()) - DISCORD_EPOCH);
}

function fromTimestamp(timestamp: bigint): string {
  increment = (increment + 1n) & 0xfffn;
  // Worker 31 marks fake ids; the process bits keep two processes apart; the counter separates ids of one millisecond.
  return ((timestamp << 22n) | (31n << 17n) | (BigInt(process.pid & 0x1f) << 12n) | increment).toString();
}

/** The shard that owns a guild, as Discord computes it. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * A guild id that lands on `shard` of `shardCount`. Use it to lay out guilds for sharding tests.
 * @example FakeDiscord.start({ guilds: [{ id: guildIdForShard(0, 2) }, { id: guildIdForShard(1, 2) }] })
 */
export function guildIdForShard(shard: number, shardCount: number): string {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new Error(`guildIdForShard: shardCount must be a positive integer, got ${shardCount}`);
  }
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new Error(`guildIdForShard: shard must be an integer in [0, ${shardCount - 1}], got ${shard}`);
  }
  const now = BigInt(Date.now()) - DISCORD_EPOCH;
  const count = BigInt(shardCount);
  const offset = (((now - BigInt(shard)) % count) + count) % count;
  return fromTimestamp(now - offset);
}

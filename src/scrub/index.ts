export { ScrubberOptionsError } from '../errors/index.js';
export {
  CIRCULAR,
  DEFAULT_LIMITS,
  type ScrubLimits,
  STRING_TRUNCATED_SUFFIX,
  TRUNCATED,
  UNREADABLE,
} from './limits.js';
export type { BotTokenSource, ScrubberOptions } from './options.js';
export {
  BASIC_FILTERED,
  BEARER_FILTERED,
  BOT_TOKEN,
  DISCORD_TOKEN,
  FILTERED,
  INTERACTION_TOKEN,
  INVITE,
  IPV4_TOKEN,
  IPV6_TOKEN,
  isSecretKey,
  WEBHOOK_TOKEN,
} from './rules/index.js';
export { createScrubber, type Scrubber } from './scrubber.js';

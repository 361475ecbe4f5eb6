export { BASIC_FILTERED, basicAuthRule } from './basic-auth.js';
export { BOT_TOKEN, botTokenRule } from './bot-token.js';
export {
  BEARER_FILTERED,
  credentialRules,
  DISCORD_TOKEN,
  INTERACTION_TOKEN,
  WEBHOOK_TOKEN,
} from './credentials.js';
export { INVITE, inviteRule } from './invite.js';
export {
  IPV4_TOKEN,
  IPV6_TOKEN,
  ipRules,
  isLoopbackOrUnspecifiedV4,
  isLoopbackOrUnspecifiedV6,
} from './ip.js';
export { type PersonalValues, personalRules } from './personal.js';
export type { Rule } from './rule.js';
export { secretFieldRule } from './secret-fields.js';
export { FILTERED, isSecretKey, isSecretParam } from './secret-keys.js';
export { secretParamRule } from './secret-params.js';
export { type IdFormatter, shortenId, snowflakeRule } from './snowflake.js';
export { urlPasswordRule } from './url-password.js';

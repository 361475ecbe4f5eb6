// FakeDiscord: the Discord REST API and gateway on 127.0.0.1 for tests with a real discord.js Client.
export { type FakeClientOptions, FakeDiscord, type FakeGuildInfo } from './fake-discord.js';
export type { GatewaySessionInfo } from './gateway.js';
export { guildIdForShard, shardOf } from './snowflake.js';
export type {
  ButtonInteractionInit,
  DiscordJson,
  DispatchOptions,
  FailNextOptions,
  FakeApplicationInit,
  FakeChannelInit,
  FakeDiscordOptions,
  FakeGuildInit,
  FakeInteractionHandle,
  FakeInteractionInit,
  FakeMemberInit,
  FakeMessageInit,
  FakeRoleInit,
  FakeTeamInit,
  FakeTeamMemberInit,
  FakeUserInit,
  FakeUserRef,
  GatewayLogEntry,
  InteractionResponse,
  InteractionResponseKind,
  RecordedFile,
  RecordedRequest,
  ScriptedFailure,
  ShardInfo,
  SlashCommandInteractionInit,
  StoredMessage,
} from './types.js';

// The REST endpoints a discord.js bot uses: gateway info, application, users, DMs, messages, interactions, commands.
import type { Interactions } from './interactions.js';
import { userPayload } from './payloads.js';
import { apiError, noContent, ok, type RestContext, type RestResult, type Router } from './router.js';
import type { DiscordJson, RecordedFile } from './types.js';
import type { World } from './world.js';

export interface RouteDeps {
  world: World;
  interactions: Interactions;
  gatewayUrl: () => string;
  recommendedShards: number;
  attach: (channelId: string, files: RecordedFile[], declared: unknown) => DiscordJson[];
}

function hasContent(body: DiscordJson, files: RecordedFile[]): boolean {
  const nonEmpty = (value: unknown) => Array.isArray(value) && value.length > 0;
  return (
    (typeof body.content === 'string' && body.content.length > 0) ||
    nonEmpty(body.embeds) ||
    nonEmpty(body.components) ||
    nonEmpty(body.sticker_ids) ||
    body.poll !== undefined ||
    files.length > 0
  );
}

export function registerRoutes(router: Router, deps: RouteDeps): void {
  const { world, interactions } = deps;

  router.add('GET', '/gateway', () => ok({ url: deps.gatewayUrl() }));
  router.add('GET', '/gateway/bot', () =>
    ok({
      url: deps.gatewayUrl(),
      shards: deps.recommendedShards,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
    }),
  );

  const application = () => ok(world.application);
  router.add('GET', '/applications/@me', application);
  router.add('GET', '/oauth2/applications/@me', application);

  router.add('GET', '/users/@me', () => ok(userPayload(world.bot)));
  router.add('GET', '/users/:userId', ({ params }) => {
    const user = world.users.get(params.userId as string);
    return user ? ok(userPayload(user)) : apiError(404, 10013, 'Unknown User');
  });
  router.add('POST', '/users/@me/channels', ({ body }) => {
    const recipient = typeof body.recipient_id === 'string' ? body.recipient_id : '';
    if (!world.users.has(recipient)) return apiError(400, 50033, 'Invalid Recipient(s)');
    return ok(world.dmChannel(recipient).raw);
  });

  router.add('GET', '/channels/:channelId', ({ params }) => {
    const channel = world.channels.get(params.channelId as string);
    return channel ? ok(channel.raw) : apiError(404, 10003, 'Unknown Channel');
  });
  router.add('GET', '/channels/:channelId/messages', ({ params, query }) => {
    const channel = world.channels.get(params.channelId as string);
    if (!channel) return apiError(404, 10003, 'Unknown Channel');
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
    const live = channel.messages.filter((message) => !message.deleted);
    return ok(
      live
        .slice(-limit)
        .reverse()
        .map((message) => message.raw),
    );
  });
  router.add('POST', '/channels/:channelId/messages', (context) => {
    const channelId = context.params.channelId as string;
    if (!world.channels.has(channelId)) return apiError(404, 10003, 'Unknown Channel');
    if (!hasContent(context.body, context.files)) return apiError(400, 50006, 'Cannot send an empty message');
    const message = world.createMessage({
      channelId,
      author: world.bot,
      content: context.body.content,
      embeds: context.body.embeds,
      components: context.body.components,
      attachments: deps.attach(channelId, context.files, context.body.attachments),
      files: context.files,
      flags: typeof context.body.flags === 'number' ? context.body.flags : 0,
    });
    return ok(message.raw);
  });
  const channelMessage = (context: RestContext) => {
    const message = world.message(context.params.messageId as string);
    return message && !message.deleted && message.channelId === context.params.channelId ? message : undefined;
  };
  router.add('GET', '/channels/:channelId/messages/:messageId', (context) => {
    const message = channelMessage(context);
    return message ? ok(message.raw) : apiError(404, 10008, 'Unknown Message');
  });
  router.add('PATCH', '/channels/:channelId/messages/:messageId', (context) => {
    const message = channelMessage(context);
    if (!message) return apiError(404, 10008, 'Unknown Message');
    const attachments = deps.attach(message.channelId, context.files, context.body.attachments);
    world.editMessage(message, context.body, context.files.length > 0 ? attachments : null, context.files);
    return ok(message.raw);
  });
  router.add('DELETE', '/channels/:channelId/messages/:messageId', (context) => {
    const message = channelMessage(context);
    if (!message) return apiError(404, 10008, 'Unknown Message');
    message.deleted = true;
    return noContent;
  });

  router.add('POST', '/interactions/:id/:token/callback', interactions.callback, { auth: false });
  router.add('POST', '/webhooks/:applicationId/:token', interactions.followUp, { auth: false });
  const webhookMessage = '/webhooks/:applicationId/:token/messages/:messageId';
  router.add('GET', webhookMessage, interactions.getMessage, { auth: false });
  router.add('PATCH', webhookMessage, interactions.editMessage, { auth: false });
  router.add('DELETE', webhookMessage, interactions.deleteMessage, { auth: false });

  registerCommandRoutes(router, world, '/applications/:applicationId/commands', () => null);
  registerCommandRoutes(
    router,
    world,
    '/applications/:applicationId/guilds/:guildId/commands',
    (params) => params.guildId as string,
  );
}

function registerCommandRoutes(
  router: Router,
  world: World,
  base: string,
  guildOf: (params: Record<string, string>) => string | null,
): void {
  const guard = (context: RestContext): RestResult | null => {
    if (context.params.applicationId !== world.applicationId) return apiError(404, 10002, 'Unknown Application');
    const guildId = guildOf(context.params);
    if (guildId !== null && !world.guilds.has(guildId)) return apiError(404, 10004, 'Unknown Guild');
    return null;
  };
  const invalidName = (body: DiscordJson) =>
    typeof body.name === 'string' && body.name.length > 0
      ? null
      : apiError(400, 50035, 'Invalid Form Body', { name: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } });

  router.add('GET', base, (context) => {
    return guard(context) ?? ok([...world.commandStore(guildOf(context.params)).values()]);
  });
  router.add('POST', base, (context) => {
    const failure = guard(context) ?? invalidName(context.body);
    if (failure) return failure;
    const { command, created } = world.upsertCommand(guildOf(context.params), context.body);
    return ok(command, created ? 201 : 200);
  });
  router.add('PUT', base, (context) => {
    const failure = guard(context);
    if (failure) return failure;
    const bodies = Array.isArray(context.body) ? (context.body as DiscordJson[]) : [];
    for (const body of bodies) {
      const bad = invalidName(body);
      if (bad) return bad;
    }
    return ok(world.replaceCommands(guildOf(context.params), bodies));
  });
  const single = `${base}/:commandId`;
  const find = (context: RestContext) =>
    world.commandStore(guildOf(context.params)).get(context.params.commandId as string);
  router.add('GET', single, (context) => {
    const failure = guard(context);
    if (failure) return failure;
    const command = find(context);
    return command ? ok(command) : apiError(404, 10063, 'Unknown application command');
  });
  router.add('PATCH', single, (context) => {
    const failure = guard(context);
    if (failure) return failure;
    const command = find(context);
    if (!command) return apiError(404, 10063, 'Unknown application command');
    return ok(world.patchCommand(guildOf(context.params), command, context.body));
  });
  router.add('DELETE', single, (context) => {
    const failure = guard(context);
    if (failure) return failure;
    const deleted = world.commandStore(guildOf(context.params)).delete(context.params.commandId as string);
    return deleted ? noContent : apiError(404, 10063, 'Unknown application command');
  });
}

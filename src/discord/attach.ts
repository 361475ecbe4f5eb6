import { type Client, Events, type Interaction } from 'discord.js';
import { ConsentryConfigError, configErrorWhen } from '../errors/index.js';
import { consoleLogger, onceLogger, reportUnknownOptions } from '../log/index.js';
import { internalsOf, type Telemetry, type TelemetryInternals } from '../suite/index.js';
import { handleButton, parseButtonId } from './buttons.js';
import { handleCommand, telemetryCommandData } from './command.js';
import type { AdapterContext } from './context.js';
import { createDelivery } from './delivery.js';
import { createNotices, type NoticeRun, newNoticeRun } from './notices.js';
import {
  type AttachDiscordOptions,
  DISCORD_OPTION_NAMES,
  type ResolvedDiscordOptions,
  resolveDiscordOptions,
} from './options.js';
import { createOwners } from './owners.js';
import { createPresenter } from './presenter.js';
import { LOG } from './texts.js';

// What the attachments of one suite to one client share. Plugins of one author may each create their own telemetry
// for the suite and attach it: exactly one of them answers the command and buttons, and they share this run's
// notice state (each notice is also claimed in the store).
interface SuiteOnClient {
  answerer: object | undefined;
  run: NoticeRun;
}
const suitesByClient = new WeakMap<Client, Map<string, SuiteOnClient>>();

function suiteOnClient(client: Client, suite: string): SuiteOnClient {
  let bySuite = suitesByClient.get(client);
  if (!bySuite) {
    bySuite = new Map();
    suitesByClient.set(client, bySuite);
  }
  let shared = bySuite.get(suite);
  if (!shared) {
    shared = { answerer: undefined, run: newNoticeRun() };
    bySuite.set(suite, shared);
  }
  return shared;
}

/** What attachDiscord() returns. */
export interface DiscordAttachment {
  /** The command's name, e.g. `acme-telemetry`. */
  readonly command: string;
  /** The owners' user ids as Discord says now (application owner or team members with the roles, plus extra ids). */
  owners(): Promise<string[]>;
  /** Resolves once the work started so far is done: the command registered, notices sent, commands answered. Never rejects. */
  idle(): Promise<void>;
  /** Stops listening (the command stays registered; errors of wrapped handlers are still captured and handed on). */
  detach(): void;
}

/**
 * Connects a suite to a discord.js client: registers `/<command>` (an upsert; the bot's other commands stay),
 * sends the owner notices, answers the command and the notice buttons (owners only, ephemeral), and tells users
 * when a `mod.command()` / `mod.listener()` handler failed. Nothing of the client's own error handling is replaced:
 * errors of wrapped handlers are handed on to it unchanged.
 */
export function attachDiscord(telemetry: Telemetry, client: Client, options: AttachDiscordOptions): DiscordAttachment {
  const { resolved, internals } = checkAttachArguments(telemetry, client, options);
  if (!internals) {
    // createTelemetry already logged why it stays off.
    return { command: resolved.command, owners: async () => [], idle: async () => {}, detach: () => {} };
  }
  const context = adapterContext(telemetry, client, resolved, internals);
  const shared = suiteOnClient(client, internals.suite);
  const notices = createNotices(context, deliveryFor(context), shared.run);
  let detached = false;
  let started = false;
  let work: Promise<void> = Promise.resolve();
  const identity = {};
  const mayAnswer = () => {
    shared.answerer ??= identity;
    return shared.answerer === identity;
  };

  const onReady = (ready: Client<true>) => {
    if (detached) return;
    work = work.then(async () => {
      await registerCommand(context, ready);
      started = true;
      await notices.check();
    });
  };
  const answerer = createInteractionAnswerer(context, mayAnswer);

  const removeHook = internals.handlerHooks.add(createPresenter(context));
  const stopWatching = internals.onModule(() => {
    if (started && !detached) void notices.check();
  });
  client.on(Events.InteractionCreate, answerer.onInteraction);
  if (client.isReady()) onReady(client);
  else client.once(Events.ClientReady, onReady);

  return {
    command: resolved.command,
    owners: () => context.owners.list(),
    async idle() {
      await work;
      await notices.idle();
      await answerer.settled();
    },
    detach() {
      if (detached) return;
      detached = true;
      notices.stop();
      removeHook();
      stopWatching();
      client.off(Events.InteractionCreate, answerer.onInteraction);
      client.off(Events.ClientReady, onReady);
      if (shared.answerer === identity) shared.answerer = undefined;
    },
  };
}

function adapterContext(
  telemetry: Telemetry,
  client: Client,
  resolved: ResolvedDiscordOptions,
  internals: TelemetryInternals,
): AdapterContext {
  return {
    telemetry,
    internals,
    client,
    options: resolved,
    owners: createOwners(client, resolved),
    words: { suite: internals.suite, command: resolved.command, docsUrl: internals.docsUrl },
    once: onceLogger(internals.logger),
  };
}

const deliveryFor = ({ client, internals, options }: AdapterContext) =>
  createDelivery({
    client,
    suite: internals.suite,
    logger: internals.logger,
    fallbackChannelId: options.fallbackChannelId,
  });

/** Throws a config error naming the fix for a wrong telemetry or client; reports unknown option names. */
function checkAttachArguments(
  telemetry: Telemetry,
  client: Client,
  options: AttachDiscordOptions,
): { resolved: ResolvedDiscordOptions; internals: TelemetryInternals | undefined } {
  if (typeof (telemetry as { module?: unknown })?.module !== 'function') {
    throw new ConsentryConfigError(
      'telemetry',
      `consentry: attachDiscord(telemetry, client, options): telemetry must be what createTelemetry() returned; got ${typeof telemetry}. ` +
        "Fix: attachDiscord(createTelemetry({ suite: 'acme-plugins', … }), client, { command }).",
    );
  }
  const resolved = resolveDiscordOptions(options);
  if (typeof (client as { on?: unknown })?.on !== 'function' || typeof client.isReady !== 'function') {
    throw new ConsentryConfigError(
      'client',
      `consentry: attachDiscord(telemetry, client, options): client must be a discord.js Client; got ${typeof client}. ` +
        'Fix: attachDiscord(telemetry, new Client({ intents }), { command }).',
    );
  }
  const internals = internalsOf(telemetry);
  reportUnknownOptions(options, DISCORD_OPTION_NAMES, 'attachDiscord(telemetry, client, options)', {
    logger: internals?.logger ?? consoleLogger,
    strict: configErrorWhen(internals?.strict),
  });
  return { resolved, internals };
}

/** Upserts `/<command>`; a failure is logged once (and cleared by the next success), never thrown. */
async function registerCommand(context: AdapterContext, ready: Client<true>): Promise<void> {
  const { options, internals, once } = context;
  // One shard registers; the others would only repeat the same upsert.
  const shards = ready.options.shards;
  if (!options.registerCommand || (Array.isArray(shards) && !shards.includes(0))) return;
  try {
    await ready.application.commands.create(telemetryCommandData(options.command, internals.suite));
    once.clear('register');
  } catch (error) {
    once.report(
      'register',
      'warn',
      LOG.registerFailed(internals.suite, options.command, (error as Error)?.message ?? String(error)),
    );
  }
}

/** The InteractionCreate listener answering the command and notice buttons, and a way to wait for its answers. */
function createInteractionAnswerer(context: AdapterContext, mayAnswer: () => boolean) {
  const { options, internals, once } = context;
  const answers = new Set<Promise<void>>();
  const answer = async (interaction: Interaction) => {
    if (interaction.isChatInputCommand() && interaction.commandName === options.command) {
      if (mayAnswer()) await handleCommand(context, interaction);
    } else if (interaction.isButton()) {
      const action = parseButtonId(internals.suite, interaction.customId);
      if (action && mayAnswer()) await handleButton(context, interaction, action);
    }
  };
  // Returns nothing: consentry's own listener never hands anything to the bot's error handling.
  const onInteraction = (interaction: Interaction): void => {
    const answering = answer(interaction)
      .catch((error: unknown) => {
        once.report('command', 'warn', LOG.commandFailed(internals.suite, (error as Error)?.message ?? String(error)));
      })
      .finally(() => answers.delete(answering));
    answers.add(answering);
  };
  return { onInteraction, settled: async () => void (await Promise.all([...answers])) };
}

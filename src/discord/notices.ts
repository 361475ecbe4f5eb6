import { type ConsentSettings, isHardOff } from '../consent/index.js';
import { noticeButtons } from './buttons.js';
import type { AdapterContext } from './context.js';
import { type Delivery, reachedAnyone } from './delivery.js';
import { LOG, masterNotice, reminderNotice } from './texts.js';

/** Where the notices record the policy version their first message was about (in the settings' extensions). */
const EXTENSION = 'discordNotices';

interface NoticeExtension {
  policyVersion?: unknown;
  /** Per notice key: how many claimed attempts reached no one. The next attempt (a later run) claims a new key. */
  failed?: Record<string, unknown> | undefined;
}

const extension = (settings: ConsentSettings): NoticeExtension =>
  (settings.extensions[EXTENSION] as NoticeExtension | undefined) ?? {};

function noticePolicy(settings: ConsentSettings): number | undefined {
  const recorded = extension(settings).policyVersion;
  if (typeof recorded === 'number') return recorded;
  return settings.masterNoticeSent ? 1 : undefined;
}

function failedAttempts(settings: ConsentSettings, key: string): number {
  const count = extension(settings).failed?.[key];
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
}

/** The store claim of a notice's next attempt: exactly one shard makes each attempt. */
const claimKey = (settings: ConsentSettings, key: string): string => {
  const attempts = failedAttempts(settings, key);
  return attempts === 0 ? key : `${key}.a${attempts}`;
};

const withFailure = (settings: ConsentSettings, key: string): ConsentSettings => {
  const current = extension(settings);
  const failed = { ...current.failed, [key]: failedAttempts(settings, key) + 1 };
  return { ...settings, extensions: { ...settings.extensions, [EXTENSION]: { ...current, failed } } };
};

/** This run's notice state, shared by every attachment of the suite to one client. */
export interface NoticeRun {
  /** A notice went out in this run (or another shard sent it). */
  sent: boolean;
  /** Modules dealt with in this run. */
  handled: Set<string>;
  /** The master notice was tried in this run (sent, claimed by another shard, or reached no one): not again. */
  masterTried: boolean;
}

export const newNoticeRun = (): NoticeRun => ({ sent: false, handled: new Set(), masterTried: false });

export interface Notices {
  /** Looks for a notice to send now (queued behind any check in progress). Never rejects. */
  check(): Promise<void>;
  /** Resolves once no check is in progress. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * The owner notices, as the Red-DiscordBot cog consentry follows (an opt-in Sentry telemetry for cogs) sends them.
 * Master: the first time any module of the suite loads (again when the policy version changes). Reminder: a module
 * loads for the first time after the master was sent; while reports are on every new module gets one, while they
 * are off only the first new module since the restart. Each notice is claimed in the store first, so however many shards share it, it goes out once. No notice at all under DO_NOT_TRACK or
 * CONSENTRY_DISABLED.
 */
export function createNotices(context: AdapterContext, delivery: Delivery, run: NoticeRun = newNoticeRun()): Notices {
  const { internals, telemetry } = context;
  const { suite, policyVersion } = internals;
  const { handled } = run;
  let chain = Promise.resolve();
  let stopped = false;
  const sender: NoticeSender = { context, delivery, run, stopped: () => stopped };

  async function checkNow(): Promise<void> {
    if (stopped) return;
    const status = await telemetry.consent.status();
    if (isHardOff(status.source)) return;
    const modules = internals.modules().map((module) => module.name);
    const settings = internals.consent.settings();
    if (modules.length === 0 || !settings) return;
    if (!settings.masterNoticeSent || noticePolicy(settings) !== policyVersion) {
      if (!run.masterTried) await sendMaster(sender, modules, settings);
      return;
    }
    const fresh = modules.filter((name) => !settings.modulesNotified.includes(name) && !handled.has(name));
    if (fresh.length > 0) await sendReminders(sender, fresh, settings);
  }

  return {
    check() {
      chain = chain.then(checkNow).then(
        () => {
          context.once.clear('notices');
        },
        (error: unknown) => {
          context.once.report('notices', 'warn', LOG.noticeFailed(suite, (error as Error)?.message ?? String(error)));
        },
      );
      return chain;
    },
    async idle() {
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await seen;
      }
    },
    stop() {
      stopped = true;
    },
  };
}

/** What sending one notice needs: the adapter, where to deliver, this run's state, and whether the notices stopped. */
interface NoticeSender {
  context: AdapterContext;
  delivery: Delivery;
  run: NoticeRun;
  stopped(): boolean;
}

const record = (context: AdapterContext, fn: (settings: ConsentSettings) => ConsentSettings) =>
  context.internals.consent.updateSettings(fn);

// A notice is recorded as sent only once it reached someone (an owner's DMs or the fallback channel). One that
// reached no one is recorded as a failed attempt: not tried again in this run, tried again after a restart.
async function sendMaster(sender: NoticeSender, modules: string[], settings: ConsentSettings): Promise<void> {
  const { context, delivery, run } = sender;
  const { store, suite, policyVersion } = context.internals;
  const ownerIds = await context.owners.list();
  const key = `notice.master.p${policyVersion}`;
  const won = await store.claim(suite, claimKey(settings, key));
  run.sent = true;
  run.masterTried = true;
  for (const name of modules) run.handled.add(name);
  if (!won || sender.stopped()) return;
  const policyChanged = noticePolicy(settings) !== undefined;
  const status = await context.telemetry.consent.status();
  const delivered = await delivery.deliver(ownerIds, {
    content: masterNotice(context.words, modules, status, policyChanged),
    components: noticeButtons(suite, status.locked),
  });
  if (!reachedAnyone(delivered)) {
    await record(context, (current) => withFailure(current, key));
    return;
  }
  await record(context, (current) => ({
    ...current,
    masterNoticeSent: true,
    modulesNotified: [...new Set([...(policyChanged ? [] : current.modulesNotified), ...modules])],
    extensions: { ...current.extensions, [EXTENSION]: { ...extension(current), policyVersion } },
  }));
}

async function sendReminders(sender: NoticeSender, fresh: string[], settings: ConsentSettings): Promise<void> {
  const { context, delivery, run } = sender;
  const { store, suite, policyVersion } = context.internals;
  const ownerIds = await context.owners.list();
  for (const name of fresh) {
    if (sender.stopped()) return;
    const status = await context.telemetry.consent.status();
    const enabled = status.level === 'errors' || status.level === 'all';
    run.handled.add(name);
    // Off: only the first new module since the restart is announced; the others wait for a later restart.
    if (!enabled && run.sent) continue;
    run.sent = true;
    const key = `notice.reminder.${name}.p${policyVersion}`;
    if (!(await store.claim(suite, claimKey(settings, key)))) continue;
    const delivered = await delivery.deliver(ownerIds, { content: reminderNotice(context.words, name, status) });
    if (!reachedAnyone(delivered)) {
      await record(context, (current) => withFailure(current, key));
      continue;
    }
    await record(context, (current) => ({
      ...current,
      modulesNotified: [...new Set([...current.modulesNotified, name])],
    }));
  }
}

import type { ConsentSettings } from '../consent/index.js';
import { noticeButtons } from './buttons.js';
import type { AdapterContext } from './context.js';
import type { Delivery } from './delivery.js';
import { LOG, masterNotice, reminderNotice } from './texts.js';

/** Where the notices record the policy version their first message was about (in the settings' extensions). */
const EXTENSION = 'discordNotices';

function noticePolicy(settings: ConsentSettings): number | undefined {
  const recorded = (settings.extensions[EXTENSION] as { policyVersion?: unknown } | undefined)?.policyVersion;
  if (typeof recorded === 'number') return recorded;
  return settings.masterNoticeSent ? 1 : undefined;
}

/** This run's notice state, shared by every attachment of the suite to one client. */
export interface NoticeRun {
  /** A notice went out in this run (or another shard sent it). */
  sent: boolean;
  /** Modules dealt with in this run. */
  handled: Set<string>;
}

export const newNoticeRun = (): NoticeRun => ({ sent: false, handled: new Set() });

export interface Notices {
  /** Looks for a notice to send now (queued behind any check in progress). Never rejects. */
  check(): Promise<void>;
  /** Resolves once no check is in progress. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * The seed's owner notices. Master: the first time any module of the suite loads (again when the policy version
 * changes). Reminder: a module loads for the first time after the master was sent; while reports are on every new
 * module gets one, while they are off only the first new module since the restart. Each notice is claimed in the
 * store first, so however many shards share it, it goes out once. No notice at all under DO_NOT_TRACK or
 * CONSENTRY_DISABLED.
 */
export function createNotices(context: AdapterContext, delivery: Delivery, run: NoticeRun = newNoticeRun()): Notices {
  const { internals, telemetry, words } = context;
  const { store, suite, policyVersion } = internals;
  const { handled } = run;
  let chain = Promise.resolve();
  let stopped = false;

  const record = (fn: (settings: ConsentSettings) => ConsentSettings) => internals.consent.updateSettings(fn);

  async function master(modules: string[], settings: ConsentSettings): Promise<void> {
    const ownerIds = await context.owners.list();
    const won = await store.claim(suite, `notice.master.p${policyVersion}`);
    run.sent = true;
    for (const name of modules) handled.add(name);
    if (!won || stopped) return;
    const policyChanged = noticePolicy(settings) !== undefined;
    await record((current) => ({
      ...current,
      masterNoticeSent: true,
      modulesNotified: [...new Set([...(policyChanged ? [] : current.modulesNotified), ...modules])],
      extensions: { ...current.extensions, [EXTENSION]: { policyVersion } },
    }));
    const status = await telemetry.consent.status();
    await delivery.deliver(ownerIds, {
      content: masterNotice(words, modules, status, policyChanged),
      components: noticeButtons(suite, status.locked),
    });
  }

  async function reminders(fresh: string[]): Promise<void> {
    const ownerIds = await context.owners.list();
    for (const name of fresh) {
      if (stopped) return;
      const status = await telemetry.consent.status();
      const enabled = status.level === 'errors' || status.level === 'all';
      handled.add(name);
      // Off: only the first new module since the restart is announced; the others wait for a later restart.
      if (!enabled && run.sent) continue;
      run.sent = true;
      if (!(await store.claim(suite, `notice.reminder.${name}.p${policyVersion}`))) continue;
      await record((current) => ({
        ...current,
        modulesNotified: [...new Set([...current.modulesNotified, name])],
      }));
      await delivery.deliver(ownerIds, { content: reminderNotice(words, name, status) });
    }
  }

  async function checkNow(): Promise<void> {
    if (stopped) return;
    const status = await telemetry.consent.status();
    if (status.source === 'DO_NOT_TRACK' || status.source === 'CONSENTRY_DISABLED') return;
    const modules = internals.modules().map((module) => module.name);
    const settings = internals.consent.settings();
    if (modules.length === 0 || !settings) return;
    if (!settings.masterNoticeSent || noticePolicy(settings) !== policyVersion) {
      await master(modules, settings);
      return;
    }
    const fresh = modules.filter((name) => !settings.modulesNotified.includes(name) && !handled.has(name));
    if (fresh.length > 0) await reminders(fresh);
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

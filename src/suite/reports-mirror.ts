import type { PendingReport } from '../sentry/index.js';
import type { Store, StoredDocument } from '../store/index.js';
import { keptReports, readReports } from './reports-document.js';

/** The pending reports as this process knows them, kept in step with their store document on every shard. */
export interface ReportsMirror {
  /** Valid, unexpired, newest first. */
  reports: PendingReport[];
  /** Settles once the store answered the first read (or failed to). */
  readonly ready: Promise<void>;
  adopt(document: StoredDocument | undefined): void;
  /** Adds a report in memory (newest first, the oldest beyond the maximum dropped). */
  keep(report: PendingReport): void;
  /** An atomic update of the stored reports (expired ones already left out). */
  write(fn: (reports: PendingReport[]) => PendingReport[]): Promise<StoredDocument>;
  /** Removes the report atomically, so that exactly one shard gets to send it. */
  take(code: string): Promise<PendingReport | undefined>;
  /** Keeps a report again after a failed send (in memory when the store cannot be written). */
  putBack(report: PendingReport): Promise<void>;
  close(): void;
}

export function reportsMirror(store: Store, key: string, now: () => number): ReportsMirror {
  let known: PendingReport[] = [];
  const fresh = (reports: readonly PendingReport[]): PendingReport[] => keptReports({ reports: [...reports] }, now());
  const adopt = (document: StoredDocument | undefined) => {
    known = fresh(readReports(document));
  };
  const write = (fn: (reports: PendingReport[]) => PendingReport[]) =>
    store.update(key, (document) => ({ reports: fn(fresh(readReports(document))) }));
  const unsubscribe = store.subscribe(key, adopt);
  const ready = store.read(key).then(adopt, () => {});
  return {
    get reports() {
      return known;
    },
    set reports(reports) {
      known = reports;
    },
    ready,
    adopt,
    keep(report) {
      known = fresh([report, ...known]);
    },
    write,
    async take(code) {
      let taken: PendingReport | undefined;
      try {
        adopt(
          await write((stored) => {
            taken = stored.find((report) => report.code === code);
            return stored.filter((report) => report.code !== code);
          }),
        );
      } catch {
        // Storage unreachable: send what this process knows, at most once from here.
        taken = known.find((report) => report.code === code);
        known = known.filter((report) => report.code !== code);
      }
      return taken;
    },
    putBack: (report) =>
      write((stored) => [report, ...stored.filter((r) => r.code !== report.code)])
        .then(adopt)
        .catch(() => {
          known = fresh([report, ...known]);
        }),
    close: unsubscribe,
  };
}

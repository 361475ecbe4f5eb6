import { applyUpdates, copyDocument, notifyAll, suiteQueue } from './document.js';
import type { Store, StoredDocument, StoreListener } from './store.js';
import { assertSuiteName, suiteNames } from './suite-name.js';

/** Settings kept in this process only (tests, or a bot that wants no file). Nothing survives a restart. */
export function memoryStore(): Store {
  const documents = new Map<string, { text: string; document: StoredDocument }>();
  const claims = new Set<string>();
  const listeners = new Map<string, Set<StoreListener>>();

  const queue = suiteQueue(async (suite, batch) => {
    assertSuiteName(suite);
    const current = documents.get(suite);
    const applied = applyUpdates(current?.document, current?.text, batch);
    if (applied.nextText !== undefined && applied.next) {
      documents.set(suite, { text: applied.nextText, document: applied.next });
    }
    applied.settle();
    if (applied.nextText !== undefined) notifyAll(listeners.get(suite) ?? [], applied.next);
  });

  return {
    kind: 'memory',
    describe: (suite) => `memory (${suite})`,
    async read(suite) {
      assertSuiteName(suite);
      return copyDocument(documents.get(suite)?.document);
    },
    update: (suite, fn) => queue.update(suite, fn),
    readSync(suite) {
      assertSuiteName(suite);
      return copyDocument(documents.get(suite)?.document);
    },
    suites: async () => suiteNames([...documents.keys()]),
    async claim(suite, key) {
      assertSuiteName(suite);
      const id = JSON.stringify([suite, key]);
      if (claims.has(id)) return false;
      claims.add(id);
      return true;
    },
    subscribe(suite, listener) {
      let set = listeners.get(suite);
      if (!set) {
        set = new Set();
        listeners.set(suite, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

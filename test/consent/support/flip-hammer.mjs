// Shared by the ordering tests in this process and by flip.mjs in child processes (plain JS, so both can load it).

/** Wraps a store so every document it answers with or announces is recorded first: the store's history. */
export function recordingStore(store) {
  const history = new Set();
  const record = (document) => {
    if (typeof document?.userId === 'string') history.add(document.userId);
    return document;
  };
  return {
    history,
    store: {
      kind: store.kind,
      describe: (suite) => store.describe(suite),
      read: (suite) => store.read(suite).then(record),
      update: (suite, fn) => store.update(suite, fn).then(record),
      claim: (suite, key) => store.claim(suite, key),
      subscribe: (suite, listener) => store.subscribe(suite, (document) => listener(record(document))),
      setDefaultLogger: (logger) => store.setDefaultLogger?.(logger),
      close: () => store.close(),
    },
  };
}

/**
 * Records every user id `consent.subscribe` delivers (from creation on) while `rounds` times a forget(), a set() and
 * another forget() run concurrently. Returns the delivered ids, in order.
 */
export async function hammer(consent, rounds) {
  const delivered = [];
  consent.subscribe((status) => {
    if (status.userId !== null) delivered.push(status.userId);
  });
  const levels = ['all', 'errors', 'off', 'manual'];
  for (let i = 0; i < rounds; i++) {
    await Promise.all([consent.forget(), consent.set(levels[i % levels.length], { by: 'hammer' }), consent.forget()]);
  }
  return delivered;
}

/** What is wrong with a sequence of delivered ids: an id that comes back after another one, or one never stored. */
export function orderProblems(delivered, history) {
  const problems = [];
  const left = new Set();
  let previous;
  for (const [index, id] of delivered.entries()) {
    if (!history.has(id)) problems.push(`#${index} ${id} was never in the store`);
    if (id === previous) continue;
    if (left.has(id)) problems.push(`#${index} ${id} came back after ${previous}`);
    if (previous !== undefined) left.add(previous);
    previous = id;
  }
  return problems;
}

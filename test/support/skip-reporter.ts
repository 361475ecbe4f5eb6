// Prints, at the end of every run, how many tests were skipped and why each was: a skip must never be silent.
// A reason comes from `ctx.skip(note)`, or from `meta.skipReason` on the test or a suite around it (see redis.ts).
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';

function reasonOf(test: TestCase, filtered: boolean): string {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  for (let task: TestCase | TestSuite | TestModule = test; task.type !== 'module'; task = task.parent) {
    const reason = task.meta().skipReason;
    if (reason) return reason;
  }
  if (test.options.mode === 'todo') return 'marked todo';
  return filtered ? 'not selected by the name filter (-t) or .only' : 'skipped without a reason (add one)';
}

export default class SkipSummary implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = Boolean(vitest.config.testNamePattern);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, string[]>();
    for (const module of modules) {
      for (const test of module.children.allTests('skipped')) {
        const reason = reasonOf(test, this.filtered);
        const list = byReason.get(reason) ?? [];
        list.push(`${module.relativeModuleId} > ${test.fullName}`);
        byReason.set(reason, list);
      }
    }
    const total = [...byReason.values()].reduce((sum, list) => sum + list.length, 0);
    const lines = [`consentry tests: ${total} skipped${total ? ':' : ''}`];
    for (const [reason, tests] of byReason) {
      lines.push(`  ${tests.length} × ${reason}`);
      for (const name of tests.slice(0, 5)) lines.push(`      ${name}`);
      if (tests.length > 5) lines.push(`      … and ${tests.length - 5} more`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

import 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test or suite is skipped, shown by the skip summary of `npm test` (test/support/skip-reporter.ts). */
    skipReason?: string;
  }
}

// Runs the examples as a user would, in a child process of the built package, with an environment that only says
// what the test means (no DO_NOT_TRACK, CONSENTRY_* or DISCORD_TOKEN of the machine; CI detection off; no colors).
import { join } from 'node:path';
import { root } from '../support/built.js';
import { type Exit, runNode } from '../support/child.js';

export { assertBuilt, root } from '../support/built.js';
export type { Exit };

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(DO_NOT_TRACK|CONSENTRY_|DISCORD_TOKEN|FORCE_COLOR|OTEL_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, CI: 'false', NO_COLOR: '1', ...extra };
}

/**
 * `node [nodeArgs] script` in the repository root (so `consentry` resolves to this package), to its end. An empty
 * `script` runs only `nodeArgs` (e.g. `-e`).
 */
export function run(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Exit> {
  return runNode(script ? [...nodeArgs, join(root, script)] : nodeArgs, { cwd: root, env });
}

/** The report's part from a `━━ heading ━━` line to the next heading (or the end). */
export function section(report: string, heading: string): string {
  const start = report.indexOf(`━━ ${heading}`);
  if (start < 0) throw new Error(`the report has no section "${heading}":\n${report}`);
  const next = report.indexOf('━━ ', report.indexOf('\n', start));
  return report.slice(start, next < 0 ? undefined : next);
}

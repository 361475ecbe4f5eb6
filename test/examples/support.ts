// Runs the examples as a user would, in a child process of the built package, with an environment that only says
// what the test means (no DO_NOT_TRACK, CONSENTRY_* or DISCORD_TOKEN of the machine; CI detection off; no colors).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'esm', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it for you)');
  }
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

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
  const args = script ? [...nodeArgs, join(root, script)] : nodeArgs;
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The report's part from a `━━ heading ━━` line to the next heading (or the end). */
export function section(report: string, heading: string): string {
  const start = report.indexOf(`━━ ${heading}`);
  if (start < 0) throw new Error(`the report has no section "${heading}":\n${report}`);
  const next = report.indexOf('━━ ', report.indexOf('\n', start));
  return report.slice(start, next < 0 ? undefined : next);
}

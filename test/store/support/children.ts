import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the child's stdout once it exits with code 0; rejects with its stderr otherwise. */
  done: Promise<string>;
}

export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const done = new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code ?? signal}: ${err || out}`)),
    );
  });
  return { process: child, done };
}

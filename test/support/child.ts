// The one way tests start a Node.js child process (a shard, a bot, an example): output collected, never inherited.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** What it printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when it has exited and its output is complete; never rejects on a non-zero exit. */
  exit: Promise<Exit>;
  /** Its stdout once it exits with code 0; rejects with its output otherwise. */
  succeeded(): Promise<string>;
}

export interface ChildOptions {
  cwd?: string;
  /** The whole environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Keep stdin open for commands (default: closed at once, as for a bot run from a service manager). */
  stdin?: boolean;
}

/** `node ...args`, started now. */
export function startNode(args: string[], options: ChildOptions = {}): Child {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
  if (!options.stdin) child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    process: child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exit,
    async succeeded() {
      const done = await exit;
      if (done.code === 0) return done.stdout;
      throw new Error(`node ${args.join(' ')} exited with ${done.code ?? done.signal}: ${done.stderr || done.stdout}`);
    },
  };
}

/** `node ...args`, to its end. */
export function runNode(args: string[], options: ChildOptions = {}): Promise<Exit> {
  return startNode(args, options).exit;
}

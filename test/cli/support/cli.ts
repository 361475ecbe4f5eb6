import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { root } from '../../store/support/dist.js';
import { waitFor } from '../../store/support/wait.js';

// The file package.json's `bin` names, as npm links it for `npx consentry`.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { consentry: string } };
export const BIN = join(root, pkg.bin.consentry);
const BOT = join(import.meta.dirname, 'bot.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the process exited (Date.now()). */
  exitedAt: number;
}

/** The environment of a shell without CI variables or consentry settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...extra };
}

/** Runs the built `consentry` command as a child process. */
export function consentry(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, exitedAt: Date.now() }));
  });
}

export type BotLine = Record<string, unknown>;

/** A bot process using consentry (support/bot.mjs) on the same store as the command. */
export class Bot {
  readonly lines: BotLine[] = [];
  private stderr = '';
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.lines.push(JSON.parse(line) as BotLine));
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
  }

  static async start(kind: 'file' | 'redis', location: string, suite: string, dsn: string): Promise<Bot> {
    const child = spawn(process.execPath, [BOT, kind, location, suite, dsn], { env: cleanEnv(), stdio: 'pipe' });
    const bot = new Bot(child);
    await bot.waitFor('the bot to start', (line) => line.ready === true);
    return bot;
  }

  async waitFor(what: string, match: (line: BotLine) => boolean, from = 0): Promise<BotLine> {
    return waitFor(`${what}${this.stderr ? ` (bot stderr: ${this.stderr})` : ''}`, () =>
      this.lines.slice(from).find(match),
    );
  }

  /** Sends a command and waits for its answer line. */
  async ask(command: string, answer: (line: BotLine) => boolean): Promise<BotLine> {
    const from = this.lines.length;
    this.child.stdin.write(`${command}\n`);
    return this.waitFor(`the bot's answer to ${command}`, answer, from);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.write('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

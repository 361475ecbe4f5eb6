import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { root } from '../../support/built.js';
import { type Child, startNode } from '../../support/child.js';
import { waitFor } from '../../support/wait.js';

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
export async function consentry(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await startNode([BIN, ...args], { env: cleanEnv(env) }).exit;
  return { code, stdout, stderr, exitedAt: Date.now() };
}

export type BotLine = Record<string, unknown>;

/** A bot process using consentry (support/bot.mjs) on the same store as the command. */
export class Bot {
  readonly lines: BotLine[] = [];
  private constructor(private readonly child: Child) {
    createInterface({ input: child.process.stdout }).on('line', (line) => this.lines.push(JSON.parse(line) as BotLine));
  }

  static async start(kind: 'file' | 'redis', location: string, suite: string, dsn: string): Promise<Bot> {
    const bot = new Bot(startNode([BOT, kind, location, suite, dsn], { env: cleanEnv(), stdin: true }));
    await bot.waitFor('the bot to start', (line) => line.ready === true);
    return bot;
  }

  async waitFor(what: string, match: (line: BotLine) => boolean, from = 0): Promise<BotLine> {
    return waitFor(`${what}${this.child.stderr ? ` (bot stderr: ${this.child.stderr})` : ''}`, () =>
      this.lines.slice(from).find(match),
    );
  }

  /** Sends a command and waits for its answer line. */
  async ask(command: string, answer: (line: BotLine) => boolean): Promise<BotLine> {
    const from = this.lines.length;
    this.child.process.stdin.write(`${command}\n`);
    return this.waitFor(`the bot's answer to ${command}`, answer, from);
  }

  async stop(): Promise<void> {
    if (this.child.process.exitCode !== null) return;
    this.child.process.stdin.write('stop\n');
    const timer = setTimeout(() => this.child.process.kill('SIGKILL'), 10_000);
    await this.child.exit;
    clearTimeout(timer);
  }
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCI } from 'ci-info';
import { describe, it } from 'vitest';

function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const INSTALL = 'apt-get install redis-server';
const missing = redisServerPath() === undefined;

/** Why the Redis tests are skipped here, or undefined when they run. In CI (as ci-info judges) they always run. */
export const redisSkipReason: string | undefined =
  missing && !isCI ? `redis-server is not installed (${INSTALL}); outside CI the Redis tests are skipped` : undefined;

/**
 * `describe` for tests that need a real redis-server. Where it is missing they are skipped, with the reason in the
 * test summary, except in CI, where they run and fail on the missing server.
 */
export function describeRedis(name: string, body: () => void): void {
  describe(name, { skip: redisSkipReason !== undefined, meta: { skipReason: redisSkipReason } }, body);
}

/** `it` for one test that needs a real redis-server; skipped or failing like {@link describeRedis}. */
export function itRedis(name: string, body: () => Promise<void>, timeout?: number): void {
  it(name, { skip: redisSkipReason !== undefined, meta: { skipReason: redisSkipReason }, timeout }, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

/** Our own redis-server on a random loopback port, without persistence, that a test can kill and start again. */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly persistDir: string | undefined,
  ) {}

  /**
   * `persistDir`: keep the data in an append-only file there, written and fsynced on every command, so that a
   * killed and restarted server still has everything it acknowledged. Without it, a restart starts empty.
   */
  static async start(options: { persistDir?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.persistDir);
    await server.startProcess();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async startProcess(): Promise<void> {
    const binary = redisServerPath();
    if (!binary) {
      throw new Error(
        `redis-server is not installed (${INSTALL}): the Redis tests need it, and are skipped only outside CI`,
      );
    }
    const child = spawn(
      binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.persistDir
          ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.persistDir]
          : ['--appendonly', 'no']),
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    for (let i = 0; i < 400; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${this.port}`);
      if (await accepts(this.port)) return;
      await sleep(25);
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kills the server abruptly (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * While the server is down: listens on its port and hangs up on every connection, counting them, so a test can
   * wait for clients' reconnect attempts instead of sleeping. Close it before {@link restart}.
   */
  async countReconnects(): Promise<{ readonly attempts: number; close(): Promise<void> }> {
    if (this.child) throw new Error('countReconnects: kill() the server first');
    let attempts = 0;
    const door = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      door.once('error', reject);
      door.listen(this.port, '127.0.0.1', resolve);
    });
    return {
      get attempts() {
        return attempts;
      },
      close: () => new Promise<void>((resolve) => door.close(() => resolve())),
    };
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.startProcess();
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

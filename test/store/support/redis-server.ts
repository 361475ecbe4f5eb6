import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** In CI a missing redis-server must fail loudly; locally the Redis tests are skipped with a warning. */
export function redisAvailability(): { available: boolean; mustFail: boolean } {
  const available = redisServerPath() !== undefined;
  const inCi = process.env.CI === 'true' || process.env.CI === '1';
  if (!available && !inCi) {
    console.warn(
      'consentry tests: redis-server is not installed, Redis store tests are SKIPPED (apt-get install redis-server)',
    );
  }
  return { available, mustFail: !available && inCi };
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
    if (!binary) throw new Error('redis-server is not installed (apt-get install redis-server)');
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

  async restart(): Promise<void> {
    await this.kill();
    await this.startProcess();
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

import type { HostLogger, LogLevel } from '../../src/log/index.js';

export interface CapturedLine {
  level: LogLevel;
  message: string;
}

/** A real HostLogger that keeps what it is told, for assertions on log lines. */
export function captureLogger(): HostLogger & { lines: CapturedLine[]; at(...levels: LogLevel[]): string[] } {
  const lines: CapturedLine[] = [];
  const push = (level: LogLevel) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    at: (...levels) => lines.filter((line) => levels.includes(line.level)).map((line) => line.message),
  };
}

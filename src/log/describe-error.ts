/**
 * A thrown value for a log line: its message, with the system error code when the message does not name it
 * (`ECONNREFUSED: connect …`); with `withType`, `Type: message` (`TypeError: boom`), as task and loop failures
 * are shown. Never throws (a thrown Proxy may trap everything).
 */
export function describeError(error: unknown, { withType = false }: { withType?: boolean | undefined } = {}): string {
  try {
    if (!(error instanceof Error)) return String(error);
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    return withType ? `${error.name}: ${message}` : message;
  } catch {
    return 'a value that cannot be shown';
  }
}

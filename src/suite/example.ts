import { createModuleReporter, type ModuleReporterOptions } from '../sentry/index.js';

/** A made-up error with what real ones often carry: ids, an IP address, an invite link, a home path. */
function exampleError(): Error {
  const error = new Error(
    'Could not post the update notice to channel 1042270712853217331 of guild 81384788765712384: ' +
      'the invite https://discord.gg/AbCdEf12 from 203.0.113.9 has expired',
  );
  error.name = 'ExampleError';
  return error;
}

/**
 * The exact JSON an error report of `module` would be, built by a reporter of its own at level `manual` (which
 * sends nothing) and thrown away afterwards: scrubbed, allow-listed, with the suite's real user id and tags.
 */
export async function exampleReport(
  options: Omit<ModuleReporterOptions, 'module' | 'version' | 'userId' | 'level'>,
  module: { name: string; version: string },
  userId: string,
  tags: Record<string, string> = {},
): Promise<string | undefined> {
  const reporter = createModuleReporter({
    ...options,
    debug: false,
    module: module.name,
    version: module.version,
    userId,
    level: 'manual',
  });
  try {
    reporter.addBreadcrumb({
      category: 'log',
      level: 'info',
      message: `checking for updates of guild 81384788765712384 from ${process.cwd()}`,
    });
    const result = reporter.captureError(exampleError(), { tags: { handler: 'command', ...tags } });
    return result.status === 'pending' ? JSON.stringify(result.report.event, null, 2) : undefined;
  } finally {
    await reporter.close();
  }
}

/** The environment of a module's events when none is given. */
export const DEFAULT_ENVIRONMENT = 'production';

/**
 * A module's release as its events, sessions, check-ins and spans carry it (before scrubbing):
 * `<suite>|<module>@<version>`, so each module of a suite has its own releases in Sentry.
 */
export function moduleRelease(suite: string, module: string, version: string): string {
  return `${suite}|${module}@${version}`;
}

import * as ciInfo from 'ci-info';

export interface CiDetection {
  isCI: boolean;
  /** The CI service when known, e.g. "GitHub Actions". */
  name: string | null;
  /** The environment variable that gave it away, for the status reason. */
  variable: string | null;
}

// The vendor-neutral variables ci-info checks (besides its vendor list).
const GENERIC_CI_VARIABLES = [
  'CI',
  'CONTINUOUS_INTEGRATION',
  'BUILD_ID',
  'BUILD_NUMBER',
  'CI_APP_ID',
  'CI_BUILD_ID',
  'CI_BUILD_NUMBER',
  'CI_NAME',
  'RUN_ID',
] as const;

// ci-info also reports these hosting platforms, whose variables are set on running services, not only on builds:
// a bot hosted there is not a CI run, so they count only together with a generic CI variable.
const HOSTING_PLATFORMS = new Set(['HEROKU', 'RENDER', 'VERCEL', 'NETLIFY', 'ALPIC', 'CLOUDFLARE_WORKERS']);

/**
 * CI detection with ci-info. ci-info reads `process.env` once when loaded, so for another env (tests, an injected
 * env) the same vendor-neutral rules are applied to that env; its vendor list is used only for `process.env`.
 */
export function detectCi(env: Readonly<Record<string, string | undefined>>): CiDetection {
  if (env.CI === 'false') return { isCI: false, name: null, variable: null };
  const variable = GENERIC_CI_VARIABLES.find((name) => Boolean(env[name])) ?? null;
  if (env === process.env && ciInfo.isCI) {
    const hostingOnly = ciInfo.id !== null && HOSTING_PLATFORMS.has(ciInfo.id) && variable === null;
    if (!hostingOnly) return { isCI: true, name: ciInfo.name, variable };
  }
  return variable ? { isCI: true, name: null, variable } : { isCI: false, name: null, variable: null };
}

// Optional peer dependencies (`redis`, `ws`, `@opentelemetry/sdk-node`): installed only by those who use the feature
// that needs them. The loader is a literal `import('x')` / `require('x')` at the call site, so the compiler types it
// and resolves it from this package as it would a dependency.
import { MissingPackageError } from '../errors/index.js';

/** Whether `error` says that `pkg` itself (not something it imports) could not be found. */
export function isMissingPackage(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // ESM: "Cannot find package 'redis' imported from …"; CommonJS: "Cannot find module 'redis'".
  return typeof message === 'string' && (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`));
}

export async function importOptional<T>(load: () => Promise<T>, pkg: string, feature: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw isMissingPackage(error, pkg) ? new MissingPackageError(pkg, feature, error) : error;
  }
}

export function requireOptional<T>(load: () => T, pkg: string, feature: string): T {
  try {
    return load();
  } catch (error) {
    throw isMissingPackage(error, pkg) ? new MissingPackageError(pkg, feature, error) : error;
  }
}

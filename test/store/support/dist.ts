import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..', '..');

/** Child-process tests run the built library; `npm test` builds it first. */
export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'esm', 'src', 'store', 'index.js'))) {
    throw new Error('dist/ has no store build: run `npm run build` first (npm test does it for you)');
  }
}

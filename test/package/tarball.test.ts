// What `npm publish` would ship: the built code with its types and the license, no source maps pointing at src/*.ts
// files the tarball does not carry, and no dependency that only one optional feature needs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, root } from '../support/built.js';

describe('the published tarball (npm pack)', () => {
  it('ships LICENSE, README and dist without source maps', () => {
    assertBuilt();
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
    expect(paths).toContain('dist/esm/src/index.d.ts');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(paths.filter((path) => !path.startsWith('dist/') && path.endsWith('.ts'))).toEqual([]);
    const js = join(root, 'dist', 'esm', 'src', 'index.js');
    expect(readFileSync(js, 'utf8')).not.toContain('sourceMappingURL');
  });

  it('declares redis, ws and @opentelemetry/sdk-node as optional peers, and MIT as in LICENSE', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const name of ['redis', 'ws', '@opentelemetry/sdk-node']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.peerDependencies[name], name).toBeDefined();
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(pkg.devDependencies[name], `${name}: the tests need it`).toBeDefined();
    }
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} consentry contributors\n/,
    );
  });
});

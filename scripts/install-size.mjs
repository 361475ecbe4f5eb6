// What installing consentry costs a plugin author: packs this checkout (npm pack), installs the tarball into an
// empty temporary project with `npm install --omit=dev` (from the npm registry, as a user would), and prints the
// number of packages installed and the size of node_modules (`du -sk`, disk usage as `du -sh` shows it).
// Usage: npm run build && node scripts/install-size.mjs [--json] [extra packages to install alongside…]
// e.g. `node scripts/install-size.mjs redis` measures what a sharded bot adds for redisStore.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const extra = args.filter((arg) => arg !== '--json');

const work = mkdtempSync(join(tmpdir(), 'consentry-install-size-'));
try {
  const npm = (argv, cwd) => execFileSync('npm', argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], root));
  const project = join(work, 'plugin');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-plugin', version: '1.0.0', private: true }));
  npm(
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename), ...extra],
    project,
  );
  const modules = join(project, 'node_modules');
  const packages = countPackages(modules);
  const kib = Number(execFileSync('du', ['-sk', modules], { encoding: 'utf8' }).split('\t')[0]);
  const consentry = JSON.parse(readFileSync(join(modules, 'consentry', 'package.json'), 'utf8'));
  const result = {
    consentry: consentry.version,
    extra,
    tarball: { files: packed.entryCount, bytes: packed.size, unpackedBytes: packed.unpackedSize },
    packages,
    nodeModulesMiB: Math.round((kib / 1024) * 10) / 10,
    dependencies: Object.keys(consentry.dependencies ?? {}),
  };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`consentry ${result.consentry}${extra.length ? ` + ${extra.join(' ')}` : ''}`);
    console.log(
      `tarball: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB (${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked)`,
    );
    console.log(`npm install --omit=dev: ${packages} packages, node_modules ${result.nodeModulesMiB} MiB (du -sk)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Folders with a package.json under node_modules, scoped and nested ones included, consentry itself included. */
function countPackages(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      count += countPackages(path);
      continue;
    }
    count++;
    try {
      if (readdirSync(path).includes('node_modules')) count += countPackages(join(path, 'node_modules'));
    } catch {}
  }
  return count;
}

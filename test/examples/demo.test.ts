import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm start (examples/demo.mjs)', () => {
  it('shows the event before and after, and nothing secret survives', () => {
    const out = execFileSync(process.execPath, [join(root, 'examples', 'demo.mjs')], { cwd: root, encoding: 'utf8' });
    const after = out
      .split('\n')
      .filter((line) => !line.startsWith('- '))
      .join('\n');
    expect(out).toContain('+ ');
    expect(after).toContain('[BOT-TOKEN]');
    expect(after).toContain('[SHORTENED-ID-2216]');
    expect(after).not.toContain('MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ');
    expect(after).not.toContain('hunter2');
    expect(out).toMatch(/^OK: /m);
  });
});

// os.hostname() is the host name when the environment names none (macOS sets no HOSTNAME for GUI-launched apps).
// The machine running the tests has a name of its own, so node:os answers with a macOS-style one here.
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:os', async (original) => ({
  ...(await original<typeof import('node:os')>()),
  hostname: () => 'Alices-MacBook-Pro.local',
}));

const { createScrubber } = await import('../../src/scrub/index.js');

describe('the host name from os.hostname()', () => {
  it('is scrubbed by default, in full, in its short form and in another domain', () => {
    const saved = { COMPUTERNAME: process.env.COMPUTERNAME, HOSTNAME: process.env.HOSTNAME };
    try {
      delete process.env.COMPUTERNAME;
      delete process.env.HOSTNAME;
      const scrubber = createScrubber();
      expect(
        scrubber.string('Alices-MacBook-Pro.local, alices-macbook-pro, ssh bot@Alices-MacBook-Pro.fritz.box'),
      ).toBe('{COMPUTERNAME}, {COMPUTERNAME}, ssh bot@{COMPUTERNAME}.fritz.box');
    } finally {
      for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
    }
  });
});

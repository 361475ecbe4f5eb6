import { CONSENTRY_VERSION } from '../version.js';

const OS_NAMES: Readonly<Record<string, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/** Tags every event of every module carries, besides the module's own. No host name, no user name. */
export function systemTags(): Record<string, string> {
  return {
    consentry: CONSENTRY_VERSION,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The only contexts an event carries besides `trace`: runtime and OS family, nothing about the machine. */
export function systemContexts(): { runtime: { name: string; version: string }; os: { name: string } } {
  return {
    runtime: { name: 'node', version: process.version },
    os: { name: OS_NAMES[process.platform] ?? process.platform },
  };
}

import { ConsentryConfigError } from '../errors/index.js';
import { showValue } from '../log/index.js';

export interface ModuleOptions {
  /** The module's name, unique within the suite, e.g. 'status'. */
  name: string;
  /** The module's version, e.g. '1.4.0' (part of the release `<suite>|<module>@<version>`). */
  version: string;
  /** The module's commit, sent as a tag. */
  commit?: string | undefined;
  /**
   * The module's folder (e.g. `import.meta.dirname`): in its error reports only the frames of files under it are
   * marked `in_app`, so Sentry groups and highlights the module's own code, not the host's or other plugins'.
   */
  root?: string | undefined;
}

const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Checks the options of `telemetry.module()`; throws one ConsentryConfigError naming each wrong option and its fix. */
export function resolveModuleOptions(
  suite: string,
  input: ModuleOptions,
): Required<Pick<ModuleOptions, 'name' | 'version'>> & ModuleOptions {
  try {
    return checkModuleOptions(suite, input);
  } catch (error) {
    if (error instanceof ConsentryConfigError) throw error;
    // A getter or Proxy that throws while the options are read.
    throw new ConsentryConfigError(
      'options',
      `consentry: ${suite}: telemetry.module(options): the options could not be read (${showValue((error as Error)?.message ?? error)}). Fix: pass a plain object such as { name: 'status', version: '1.4.0' }.`,
    );
  }
}

/** The name a module asked for, for the inert module of wrong options; `'module'` when there is none to read. */
export function moduleNameOf(input: unknown): string {
  try {
    const name = (input as { name?: unknown } | null | undefined)?.name;
    return typeof name === 'string' && name !== '' ? name : 'module';
  } catch {
    return 'module';
  }
}

function checkModuleOptions(
  suite: string,
  input: ModuleOptions,
): Required<Pick<ModuleOptions, 'name' | 'version'>> & ModuleOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConsentryConfigError(
      'options',
      `consentry: ${suite}: telemetry.module(options) needs an options object; got ${showValue(input)}. Fix: telemetry.module({ name: 'status', version: '1.4.0', root: import.meta.dirname }).`,
    );
  }
  const problems: Array<[string, string]> = [];
  if (typeof input.name !== 'string' || !MODULE_NAME.test(input.name)) {
    problems.push([
      'name',
      `option \`name\` must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'status'; got ${showValue(input.name)}.`,
    ]);
  }
  if (typeof input.version !== 'string' || input.version.trim() === '' || input.version.length > 64) {
    problems.push([
      'version',
      `option \`version\` must be the module's version string, e.g. '1.4.0' (read it from your package.json); got ${showValue(input.version)}.`,
    ]);
  }
  if (input.commit !== undefined && (typeof input.commit !== 'string' || input.commit.length > 64)) {
    problems.push([
      'commit',
      `option \`commit\` must be a commit hash string when given; got ${showValue(input.commit)}.`,
    ]);
  }
  if (input.root !== undefined && (typeof input.root !== 'string' || input.root === '')) {
    problems.push([
      'root',
      `option \`root\` must be the module's folder path, e.g. import.meta.dirname or __dirname; got ${showValue(input.root)}.`,
    ]);
  }
  const first = problems[0];
  if (first) {
    throw new ConsentryConfigError(
      first[0],
      `consentry: ${suite}: telemetry.module(): ${problems.map(([, message]) => message).join(' Also, ')}`,
    );
  }
  // A copy: what was checked is what is used, even if the caller's object changes or its getters answer differently.
  return { name: input.name, version: input.version, commit: input.commit, root: input.root };
}

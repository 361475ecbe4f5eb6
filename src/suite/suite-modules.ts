import { ConsentryConfigError, configErrorWhen } from '../errors/index.js';
import { type OptionNames, reportUnknownOptions } from '../log/index.js';
import { inertModule } from './inert.js';
import type { LiveSuite } from './live-suite.js';
import { ModuleRuntime, type TelemetryModule } from './module.js';
import { type ModuleOptions, moduleNameOf, resolveModuleOptions } from './module-options.js';

const MODULE_OPTION_NAMES: OptionNames<ModuleOptions> = { name: true, version: true, commit: true, root: true };

/** `telemetry.module()`: one runtime per module name; a wrong option gives an inert module (unless strict). */
export function registerModule(live: LiveSuite, moduleOptions: ModuleOptions): TelemetryModule {
  const { suite, logger, modules } = live;
  reportUnknownOptions(moduleOptions, MODULE_OPTION_NAMES, `${suite}: telemetry.module()`, {
    logger,
    strict: configErrorWhen(live.resolved.strict),
  });
  let checked: ReturnType<typeof resolveModuleOptions>;
  try {
    checked = resolveModuleOptions(suite, moduleOptions);
  } catch (error) {
    if (!(error instanceof ConsentryConfigError) || live.resolved.strict) throw error;
    logger.error(`${error.message} This module sends nothing. (Pass strict: true to throw instead.)`);
    return inertModule(moduleNameOf(moduleOptions), live.hostLogger);
  }
  const existing = modules.get(checked.name);
  if (existing) {
    if (existing.version !== checked.version) {
      logger.warn(
        `consentry: ${suite}: module '${checked.name}' was registered again with version ${checked.version}; keeping ${existing.version}`,
      );
    }
    return existing;
  }
  const runtime = new ModuleRuntime(
    live.context,
    checked.name,
    checked.version,
    { commit: checked.commit, root: checked.root },
    live.tracing.open(),
  );
  modules.set(checked.name, runtime);
  live.tracing.addModule(live.scrubber.string(checked.name), runtime);
  runtime.sync(live.sync.level, live.sync.userId);
  for (const listener of [...live.moduleListeners]) {
    try {
      listener(runtime);
    } catch {
      // An adapter's listener must not break module registration.
    }
  }
  return runtime;
}

/**
 * A stable code per option, pino's `PINODEP…` style: `CONSENTRY_CONFIG_` and the option's name in capitals
 * (`dsn` → `CONSENTRY_CONFIG_DSN`, `policyVersion` → `CONSENTRY_CONFIG_POLICY_VERSION`; for a nested field,
 * its first part: `limits.maxDepth` → `CONSENTRY_CONFIG_LIMITS`). Match on it rather than on the message.
 */
export type ConfigErrorCode = `CONSENTRY_CONFIG_${string}`;

export function configErrorCode(option: string): ConfigErrorCode {
  const head = option.split(/[.[]/, 1)[0] || 'options';
  return `CONSENTRY_CONFIG_${head.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * A wrong option, thrown (with `strict: true`, or where there is no bot to keep running) or logged. The message
 * names the option and the fix; `option` is its name and `code` the stable code derived from it.
 */
export class ConsentryConfigError extends Error {
  override name = 'ConsentryConfigError';
  readonly option: string;
  readonly code: ConfigErrorCode;

  /** `code` defaults to the one derived from `option`; an option that does not exist has its own. */
  constructor(option: string, message: string, options?: ErrorOptions & { code?: ConfigErrorCode | undefined }) {
    super(message, options);
    this.option = option;
    this.code = options?.code ?? configErrorCode(option);
  }
}

/** Thrown by `createScrubber` for a wrong option. */
export class ScrubberOptionsError extends ConsentryConfigError {
  override name = 'ScrubberOptionsError';
}

/** Thrown by `createModuleReporter` for wrong options; `option` names the first of them. */
export class ModuleReporterOptionsError extends ConsentryConfigError {
  override name = 'ModuleReporterOptionsError';
}

/** Thrown by the process-mode preload for a wrong setting in `consentry.config.json` or the environment. */
export class ProcessConfigError extends ConsentryConfigError {
  override name = 'ProcessConfigError';
}

/** A feature was used whose optional peer dependency is not installed; the message says what to install. */
export class MissingPackageError extends ConsentryConfigError {
  override name = 'MissingPackageError';
  readonly package: string;

  constructor(pkg: string, feature: string, cause: unknown) {
    super(
      pkg,
      `consentry: ${feature} needs the package \`${pkg}\`, an optional peer dependency of consentry that is not ` +
        `installed. Fix: npm install ${pkg}`,
      { cause, code: 'CONSENTRY_CONFIG_MISSING_PACKAGE' },
    );
    this.package = pkg;
  }
}

/** The code of an option that does not exist (a misspelt one, or one of another function); `option` is its key. */
export const UNKNOWN_OPTION_CODE: ConfigErrorCode = 'CONSENTRY_CONFIG_UNKNOWN_OPTION';

/** For `reportUnknownOptions`: with `strict: true`, an unknown option throws a ConsentryConfigError naming it. */
export function configErrorWhen(strict: unknown): ((option: string, message: string) => Error) | undefined {
  return strict === true
    ? (option, message) => new ConsentryConfigError(option, message, { code: UNKNOWN_OPTION_CODE })
    : undefined;
}

/** Thrown (with `strict: true`) or logged for a wrong option; the message names the option and the fix. */
export class ConsentryConfigError extends Error {
  override readonly name = 'ConsentryConfigError';
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/** For `reportUnknownOptions`: with `strict: true`, an unknown option throws the ConsentryConfigError a wrong one would. */
export function configErrorWhen(strict: unknown): ((option: string, message: string) => Error) | undefined {
  return strict === true ? (option, message) => new ConsentryConfigError(option, message) : undefined;
}

/** The store cannot be reached and holds no last known state for the request. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

const STORAGE_ERROR_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR', 'EMFILE']);

/** Errors that mean "this storage cannot be written right now", as opposed to a bug in the caller. */
export function isStorageError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && STORAGE_ERROR_CODES.has(code);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

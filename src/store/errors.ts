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

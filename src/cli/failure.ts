import { NewerSettingsError } from '../consent/index.js';
import { CorruptDocumentError, StoreUnavailableError } from '../store/index.js';

/** A refusal or failure: exit code 1 and this one line on stderr. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/** One line for anything that went wrong, saying what and what to do; nothing was changed. */
export function failureLine(error: unknown, where: string): string {
  if (error instanceof CliFailure) return error.message;
  if (error instanceof CorruptDocumentError) {
    return (
      `consentry: ${error.message}; nothing was changed. Fix or remove it (a running bot moves it aside and counts ` +
      'consent as unset).'
    );
  }
  if (error instanceof StoreUnavailableError) {
    return `consentry: cannot reach the store at ${where} (${strip(error.message)}); nothing was changed. Check that it runs and that --dir / --redis point at the bot's store.`;
  }
  if (error instanceof NewerSettingsError) return `${error.message} Nothing was changed.`;
  return `consentry: ${strip((error as Error)?.message ?? String(error))}`;
}

function strip(message: string): string {
  return message.replace(/^consentry: /, '');
}

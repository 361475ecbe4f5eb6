export { CorruptDocumentError } from './document.js';
export { StoreUnavailableError } from './errors.js';
export type { FileStoreOptions } from './file-store.js';
export { DEFAULT_STORE_DIR, fileStore } from './file-store.js';
export type { StoreFileSystem } from './file-system.js';
export { guardStore } from './guarded-store.js';
export { memoryStore } from './memory-store.js';
export { importOptional, requireOptional } from './optional-package.js';
export type { RedisStoreOptions } from './redis-store.js';
export { redisStore } from './redis-store.js';
export {
  createSentRecord,
  MAX_SENT_ENTRIES,
  readSentEntries,
  SENT_TTL_MS,
  type SentEntry,
  type SentKind,
  type SentRecord,
  sentRecordKey,
} from './sent-record.js';
export type { Store, StoredDocument, StoreListener, UpdateFunction } from './store.js';
export { COMPANION_SUFFIXES, suiteNameProblem, suiteNames } from './suite-name.js';

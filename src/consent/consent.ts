import { type HostLogger, onceLogger } from '../log/index.js';
import type { Store } from '../store/index.js';
import { forgetIdentity, setLevel, statusNow, updateSettings } from './consent-changes.js';
import {
  adopt,
  type ConsentListener,
  type ConsentState,
  currentStatus,
  emitIfChanged,
  loadSettings,
} from './consent-state.js';
import { type Env, readEnvironment } from './environment.js';
import type { ConsentLevel } from './levels.js';
import type { ConsentSettings } from './settings.js';
import type { ConsentStatus } from './status.js';

export type { ConsentListener } from './consent-state.js';

export interface ConsentOptions {
  suite: string;
  store: Store;
  /** Defaults to process.env; read once at creation. */
  env?: Env | undefined;
  /** The `level` option in code. */
  level?: ConsentLevel | undefined;
  policyVersion: number;
  logger: HostLogger;
}

export interface SetOptions {
  /** Who decided, recorded with the time, e.g. 'owner:<discord user>' or 'cli'. Defaults to 'code'. */
  by?: string | undefined;
}

/** `telemetry.consent`: the owner's decision for every module of the suite, on every shard. */
export interface Consent {
  /** The effective level and why; waits for the store's first answer. */
  status(): Promise<ConsentStatus>;
  /** Records the owner's choice (who and when). Rejects while an environment variable, the code or CI locks it. */
  set(level: ConsentLevel, options?: SetOptions): Promise<ConsentStatus>;
  /** Replaces the permanent user id and the local salt with new random ones; the level stays. */
  forget(): Promise<ConsentStatus>;
  /** Called with the new status after every effective change, wherever it came from. Returns unsubscribe. */
  subscribe(listener: ConsentListener): () => void;
}

/** What the rest of consentry uses: the public surface plus synchronous reads and settings updates. */
export interface ConsentController extends Consent {
  /** The last known status, without waiting (fails closed to 'manual' until the store has answered). */
  current(): ConsentStatus;
  /** The last known settings, `undefined` while unknown. */
  settings(): ConsentSettings | undefined;
  /**
   * The status in force at this very moment, for a crash handler that cannot wait: the known one, or, while the
   * settings were not read yet, read synchronously from a store that can (a damaged file counts as unset, as
   * everywhere). `undefined` when it cannot be known now.
   */
  statusNow(): ConsentStatus | undefined;
  /** Changes other fields of the settings (notices, extensions) atomically, across processes. */
  updateSettings(fn: (settings: ConsentSettings) => ConsentSettings): Promise<ConsentSettings>;
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The suite's consent: the precedence of the environment, the code and CI over the owner's stored choice, mirrored
 * from the store on every shard. The pieces: consent-state (the known settings and subscribers), consent-changes.
 */
export function createConsent(options: ConsentOptions): ConsentController {
  const state = initialState(options, readEnvironment(options.env ?? process.env));
  const { suite } = state;
  const unsubscribeStore = state.store.subscribe(suite, (document) => {
    if (!state.closed) adopt(state, document);
  });
  const ready = loadSettings(state);
  emitIfChanged(state);
  return {
    ready,
    current: () => currentStatus(state),
    settings: () => (state.settings ? (JSON.parse(JSON.stringify(state.settings)) as ConsentSettings) : undefined),
    statusNow: () => statusNow(state),
    async status() {
      await ready;
      return currentStatus(state);
    },
    set: async (level, setOptions = {}) => setLevel(state, ready, level, setOptions),
    forget: () => forgetIdentity(state, ready),
    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw new TypeError('consentry: consent.subscribe(listener): listener must be a function.');
      }
      state.listeners.add(listener);
      return () => {
        state.listeners.delete(listener);
      };
    },
    updateSettings: (fn) => updateSettings(state, ready, fn),
    async close() {
      state.closed = true;
      unsubscribeStore();
      state.listeners.clear();
      await state.repairing;
    },
  };
}

/** The state of a new controller: nothing known yet; warns once when CONSENTRY_LEVEL is not a level. */
function initialState(options: ConsentOptions, environment: ReturnType<typeof readEnvironment>): ConsentState {
  const { suite, logger } = options;
  if (environment.levelVariable !== undefined && environment.level === undefined) {
    logger.warn(
      `consentry: ${suite}: the environment variable CONSENTRY_LEVEL=${environment.levelVariable} is not a level ` +
        '(off, manual, errors, all); telemetry stays off until it is fixed.',
    );
  }
  return {
    suite,
    store: options.store,
    policyVersion: options.policyVersion,
    environment,
    codeLevel: options.level,
    logger,
    once: onceLogger(logger),
    listeners: new Set(),
    settings: undefined,
    settingsProblem: undefined,
    identity: undefined,
    revision: 0,
    lastEmitted: '',
    repairing: undefined,
    repairAgain: false,
    closed: false,
  };
}

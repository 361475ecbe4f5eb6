import type { Consent } from '../../../src/consent/index.js';
import type { Store } from '../../../src/store/index.js';

export function recordingStore(store: Store): { store: Store; history: Set<string> };
export function hammer(consent: Consent, rounds: number): Promise<string[]>;
export function orderProblems(delivered: readonly string[], history: ReadonlySet<string>): string[];

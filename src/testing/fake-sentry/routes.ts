import type { FakeSentryEndpoint } from './types.js';

export interface Route {
  endpoint: FakeSentryEndpoint;
  project?: string | undefined;
}

const ROUTES: [RegExp, FakeSentryEndpoint][] = [
  [/^\/api\/([^/]+)\/envelope\/?$/, 'envelope'],
  [/^\/api\/([^/]+)\/store\/?$/, 'store'],
  [/^\/api\/([^/]+)\/integration\/otlp\/v1\/traces\/?$/, 'otlp-traces'],
];

export function route(pathname: string): Route {
  for (const [pattern, endpoint] of ROUTES) {
    const project = pattern.exec(pathname)?.[1];
    if (project !== undefined) return { endpoint, project: safeDecode(project) };
  }
  return { endpoint: 'unknown' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// A tiny method + path router for the fake REST API, with Discord-shaped errors.
import type { DiscordJson, RecordedFile } from './types.js';

export interface RestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: DiscordJson;
  files: RecordedFile[];
  seq: number;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

export type RestHandler = (context: RestContext) => RestResult;

interface Route {
  method: string;
  segments: string[];
  auth: boolean;
  handler: RestHandler;
}

export function apiError(status: number, code: number, message: string, errors?: DiscordJson): RestResult {
  return { status, body: { message, code, ...(errors ? { errors } : {}) } };
}

export function ok(body: unknown, status = 200): RestResult {
  return { status, body };
}

export const noContent: RestResult = { status: 204 };

/** Splits a route into segments; `:name` segments are parameters. */
function split(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

export class Router {
  private readonly routes: Route[] = [];

  /** Registers a route. `auth: false` for interaction callbacks and webhooks (discord.js sends no token there). */
  add(method: string, pattern: string, handler: RestHandler, options: { auth?: boolean | undefined } = {}): void {
    this.routes.push({ method, segments: split(pattern), auth: options.auth ?? true, handler });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) {
      params[part.slice(1)] = decodeURIComponent(segment);
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

/** Turns a `failNext` path (exact, `:param` pattern, or RegExp) into a predicate on the route path. */
export function pathMatcher(path: string | RegExp): (candidate: string) => boolean {
  if (path instanceof RegExp) {
    return (candidate) => {
      path.lastIndex = 0;
      return path.test(candidate);
    };
  }
  const pattern = split(path);
  return (candidate) => matchSegments(pattern, split(candidate)) !== null;
}

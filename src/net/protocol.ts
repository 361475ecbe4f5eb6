/** Messages between the main thread's posters and the sending engine (worker thread or in-thread fallback). */
export type EngineCommand =
  | {
      op: 'post';
      id: number;
      url: string;
      headers: Record<string, string>;
      /** A string is encoded in the engine; bytes arrive as a transferred copy. */
      body: string | Uint8Array;
      /** Gzip bodies larger than this many bytes; never when undefined. */
      gzipAbove: number | undefined;
      timeoutMs: number;
    }
  | { op: 'abort'; ids: number[] };

export type EngineAnswer =
  | { id: number; status: number; retryAfter: string | null; rateLimits: string | null; sentBytes: number }
  | { id: number; failure: string; sentBytes: number };

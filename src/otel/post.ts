import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostResponse {
  status: number;
  headers: IncomingHttpHeaders;
}

export interface Poster {
  /** Sends one body; resolves with the status, rejects on network errors, timeout or abort. */
  post(body: Uint8Array, signal: AbortSignal): Promise<PostResponse>;
  close(): void;
}

/**
 * A tiny HTTP(S) POST client for one URL: keep-alive agent of its own (idle sockets do not hold the process
 * open), an overall timeout, abortable, response body discarded. Only the headers given here are sent.
 */
export function createPoster(url: URL, headers: Readonly<Record<string, string>>, timeoutMs: number): Poster {
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: 4 })
    : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const send = secure ? httpsRequest : httpRequest;

  return {
    post(body, signal) {
      return new Promise<PostResponse>((resolve, reject) => {
        let settled = false;
        const finish = (error: Error | undefined, response?: PostResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve(response as PostResponse);
        };
        const request = send(url, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.byteLength) },
        });
        const onAbort = () => {
          request.destroy();
          finish(new Error('aborted'));
        };
        const timer = setTimeout(() => {
          request.destroy();
          finish(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        request.on('error', (error: NodeJS.ErrnoException) => finish(new Error(error.code ?? error.message)));
        request.on('response', (response) => {
          response.on('error', () => {});
          response.resume();
          finish(undefined, { status: response.statusCode ?? 0, headers: response.headers });
        });
        request.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

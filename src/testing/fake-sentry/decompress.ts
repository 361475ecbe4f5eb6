import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

type Decoder = (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

const gunzip: Decoder = promisify(zlib.gunzip);
const brotli: Decoder = promisify(zlib.brotliDecompress);
const inflate: Decoder = promisify(zlib.inflate);
const inflateRaw: Decoder = promisify(zlib.inflateRaw);
// zstd is in node:zlib from Node 22.15 / 23.8.
const zstdDecompress = (zlib as { zstdDecompress?: (...args: never[]) => unknown }).zstdDecompress;
const zstd: Decoder | undefined = zstdDecompress ? (promisify(zstdDecompress) as unknown as Decoder) : undefined;

/** An error the fake answers with a 4xx status. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Undoes `Content-Encoding` (codings are applied in order, so they are removed in reverse). */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  if (!contentEncoding) return body;
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();
  let decoded = body;
  for (const coding of codings) {
    const options = { maxOutputLength: maxBytes };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') decoded = await gunzip(decoded, options);
      else if (coding === 'br') decoded = await brotli(decoded, options);
      else if (coding === 'deflate')
        decoded = await inflate(decoded, options).catch(() => inflateRaw(decoded, options));
      else if (coding === 'zstd' && zstd) decoded = await zstd(decoded, options);
      else throw new BodyError(415, `unsupported Content-Encoding "${coding}" (supported: gzip, deflate, br, zstd)`);
    } catch (error) {
      if (error instanceof BodyError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BodyError(413, `body is larger than ${maxBytes} bytes once ${coding} is undone`);
      }
      throw new BodyError(400, `body is not valid ${coding}: ${(error as Error).message}`);
    }
  }
  return decoded;
}

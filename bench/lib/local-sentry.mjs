// A local Sentry stand-in for benchmarks (OTLP and envelopes) that answers 200 at once and counts what it got.
import { createServer } from 'node:http';

export async function startLocalSentry() {
  const counts = { otlp: 0, envelopes: 0 };
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      if (req.url?.includes('/otlp/')) counts.otlp++;
      else counts.envelopes++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${server.address().port}/1`,
    counts,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

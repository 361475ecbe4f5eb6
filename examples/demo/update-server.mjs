// acme's update endpoint, served on 127.0.0.1 for the offline runs: GET /status/latest.json.
import { once } from 'node:events';
import { createServer } from 'node:http';

export const LATEST = { version: '1.5.0', notes: 'Faster update checks.' };

export async function startUpdateServer() {
  let hits = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/status/latest.json') {
      response.writeHead(404).end();
      return;
    }
    hits++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(LATEST));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/status/latest.json`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

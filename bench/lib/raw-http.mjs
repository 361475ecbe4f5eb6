// The alternative to a sending thread that the bench measures: a hand-written HTTP/1.1 client over one raw `net`
// socket on the main thread. It bypasses http's diagnostics channels and patches of http.request, but not the
// `net.client.socket` channel nor patches of `net`. Minimal on purpose (keep-alive, one request at a time).
import net from 'node:net';

export function rawPoster(url) {
  const target = new URL(url);
  let socket;
  let queue = Promise.resolve();
  const connect = () =>
    new Promise((resolve, reject) => {
      const s = net.connect({ port: Number(target.port), host: target.hostname, noDelay: true }, () => resolve(s));
      s.once('error', reject);
    });
  const exchange = (body, headers) =>
    new Promise((resolve) => {
      let buffer = Buffer.alloc(0);
      const onData = (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        const rest = buffer.subarray(end + 4);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
        const done = length !== undefined ? rest.length >= Number(length) : rest.includes('0\r\n\r\n');
        if (!done) return;
        socket.off('data', onData);
        resolve(Number(head.split(' ')[1]));
      };
      socket.on('data', onData);
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      const head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-length: ${body.length}\r\n${lines.join('')}\r\n`;
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  return {
    post(body, headers) {
      queue = queue.then(async () => {
        socket ??= await connect();
        return exchange(body, headers);
      });
      return queue;
    },
    close() {
      socket?.destroy();
    },
  };
}

// The ceiling: the fastest a node:http server on this machine can answer the
// same requests (body read, small JSON written) with no routing, auth, GraphQL
// or database. Started by bench/targets.ts with PORT and HOST.
import { createServer } from 'node:http';

const ANSWER = JSON.stringify({ ok: true, lead_id: 'bare' });

const server = createServer((request, response) => {
  // Read the body like Baton does, so both pay for receiving it.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
    response.end(ANSWER);
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

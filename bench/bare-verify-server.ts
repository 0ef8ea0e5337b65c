import { createServer } from 'node:http';

/**
 * The benchmark's ceiling: an auth server that decides nothing. It answers every `/verify` with the
 * same empty 204 as pacsgate, over the same Node HTTP server settings (main.ts), so a gate behind it
 * measures what `auth_request` to a Node process costs before pacsgate does any work.
 * Usage: node bare-verify-server.js <port>
 */
const port = Number(process.argv[2]);
const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(204, { 'X-Auth-Request-User': 'ceiling', 'Cache-Control': 'no-store' }).end();
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { Logger } from '../logger';
import type { PacsgateMetrics } from './pacsgate-metrics';

export const METRICS_PATH = '/metrics';

/** `GET /metrics` in the Prometheus text format; nothing else is served on this listener. */
export function metricsRequestListener(registry: Registry, logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        logger.error({ err: error, path: METRICS_PATH }, 'request failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error\n');
      },
    );
  };
}

/**
 * Starts the metrics listener (PACSGATE_METRICS_HOST/PORT), adding the process metrics (CPU,
 * memory, event loop, GC) under their standard names so stock Node.js dashboards and alerts apply.
 * Port 0: a free one (tests). Errors such as EADDRINUSE reach the server's 'error' event.
 */
export function startMetricsServer(metrics: PacsgateMetrics, listen: { host: string; port: number }, logger: Logger): Server {
  collectDefaultMetrics({ register: metrics.registry });
  const server = createServer(metricsRequestListener(metrics.registry, logger));
  server.listen(listen.port, listen.host, () => logger.info({ host: listen.host, port: listen.port }, 'metrics listening at /metrics'));
  return server;
}

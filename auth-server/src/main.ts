import { createServer } from 'node:http';
import { AuditLogError, openAuditLog } from './audit/audit-log';
import { epochSeconds, systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { KeyringError } from './keys/keyring';
import { openKeyring } from './keys/rotation';
import { createLogger } from './logger';
import { startMetricsServer } from './metrics/metrics-server';
import { openStore } from './store/open-store';
import { StoreError } from './store/store-error';

/**
 * Revocations made by another replica or the CLI: PostgreSQL notifies at once (store.watchRevocations);
 * the poll is the fallback while notices are lost (a dropped connection) and SQLite's only way, and
 * keeps the delay under a second even then.
 */
const REVOCATION_POLL_MS = 500;
/**
 * How soon a key rotated by the CLI or another replica signs here: well within the 1 s a rotation
 * may take to reach every replica (a token signed with it is accepted at once, keys/keyring-watcher.ts).
 */
const KEY_POLL_MS = 250;
const SHUTDOWN_GRACE_MS = 10_000;

function startupFailure(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof KeyringError || error instanceof AuditLogError || error instanceof StoreError;
  process.stderr.write(`pacsgate: cannot start: ${known ? error.message : String(error)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config, audit, keyring, pruned, store;
  try {
    config = loadConfig();
    ({ keyring, pruned } = openKeyring(config.configDir, config.ttl, epochSeconds(systemClock)));
    store = await openStore(config);
    audit = openAuditLog(config.audit.destination, { sync: false }, (error) => process.stderr.write(`pacsgate: audit log write failed: ${error.message}\n`));
    await audit.ready();
  } catch (error) {
    startupFailure(error);
  }
  const logger = createLogger(config.logLevel);
  for (const key of pruned) audit.record({ event: 'key.pruned', kid: key.kid, retiredAt: new Date((key.retiredAt ?? 0) * 1000).toISOString() });
  const app = createApp({ config, store, keyring, logger, audit });
  await app.ready.catch(startupFailure);
  const { revocations } = app.services;
  const refreshFailed = (error: unknown) => logger.error({ err: error }, 'revocation refresh failed; the list read last stays in force');
  const stopPolling = revocations.startPolling(REVOCATION_POLL_MS, refreshFailed);
  const stopWatching = store.watchRevocations(
    () => void revocations.refresh().catch(refreshFailed),
    (error) => logger.warn({ err: error }, 'revocation notices lost; polling covers them until they are back'),
  );
  const stopKeyWatch = app.keyWatcher.startPolling(
    KEY_POLL_MS,
    (kid) => logger.info({ kid }, 'signing with the key rotated by another process'),
    (error) => logger.error({ err: error }, 'signing key reload failed'),
  );
  // logrotate's postrotate sends SIGHUP: write on in a new file under the configured name.
  process.on('SIGHUP', () => audit.reopen());
  const server = createServer({ maxHeaderSize: 16 * 1024 }, app.handle);
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, config.host, () => logger.info({ host: config.host, port: config.port, kid: keyring.current.kid }, 'pacsgate auth server listening'));
  server.on('error', (error) => startupFailure(error));
  // Prometheus scrapes a listener of its own: Nginx proxies only PACSGATE_PORT, so no public URL reaches it.
  const metricsServer = config.metrics && startMetricsServer(app.metrics, config.metrics, logger);
  metricsServer?.on('error', (error) => startupFailure(error));

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    stopPolling();
    stopWatching();
    stopKeyWatch();
    metricsServer?.close();
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      audit.flush();
      void store.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();

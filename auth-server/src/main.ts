import { createServer } from 'node:http';
import { AuditLogError, openAuditLog } from './audit/audit-log';
import { epochSeconds, systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { KeyringError } from './keys/keyring';
import { KeyringWatcher } from './keys/keyring-watcher';
import { openKeyring, signingKeysDir } from './keys/rotation';
import { createLogger } from './logger';
import { startMetricsServer } from './metrics/metrics-server';
import { openStore } from './store/open-store';
import { StoreError } from './store/store-error';

const REVOCATION_POLL_MS = 1000;
/** How soon a key rotated by the CLI (another process) signs here. */
const KEY_POLL_MS = 1000;
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
  const stopPolling = app.services.revocations.startPolling(REVOCATION_POLL_MS, (error) => logger.error({ err: error }, 'revocation refresh failed'));
  const stopKeyWatch = new KeyringWatcher(keyring, signingKeysDir(config.configDir)).startPolling(
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

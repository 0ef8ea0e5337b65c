import { createServer } from 'node:http';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { KeyringError, loadOrCreateKeyring } from './keys/keyring';
import { createLogger } from './logger';
import { openSqliteStore } from './store/sqlite-store';

const REVOCATION_POLL_MS = 1000;
const SHUTDOWN_GRACE_MS = 10_000;

function startupFailure(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof KeyringError;
  process.stderr.write(`pacsgate: cannot start: ${known ? error.message : String(error)}\n`);
  process.exit(1);
}

function main(): void {
  let config, keyring, store;
  try {
    config = loadConfig();
    keyring = loadOrCreateKeyring(join(config.configDir, 'signing-keys'));
    store = openSqliteStore(join(config.configDir, 'pacsgate.sqlite'));
  } catch (error) {
    startupFailure(error);
  }
  const logger = createLogger(config.logLevel);
  const app = createApp({ config, store, keyring, logger });
  const stopPolling = app.tokens.revocations.startPolling(REVOCATION_POLL_MS, (error) => logger.error({ err: error }, 'revocation refresh failed'));
  const server = createServer({ maxHeaderSize: 16 * 1024 }, app.handle);
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, config.host, () => logger.info({ host: config.host, port: config.port, kid: keyring.current.kid }, 'pacsgate auth server listening'));
  server.on('error', (error) => startupFailure(error));

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    stopPolling();
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      store.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main();

import type { Config } from '../config';
import { configLayout } from '../config-files';
import { openPgStore } from './pg-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** The store the configuration names, for the server and the CLIs alike: PostgreSQL with PACSGATE_DATABASE_URL, else SQLite in the config dir. */
export async function openStore(config: Pick<Config, 'configDir' | 'database'>): Promise<Store> {
  return config.database ? openPgStore(config.database) : openSqliteStore(configLayout(config.configDir).database);
}

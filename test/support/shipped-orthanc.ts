import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackChild } from '../../scripts/stack/child';
import { findFreePort } from '../../scripts/stack/ports';
import { waitUntilHealthy } from '../../scripts/stack/probe';
import { ORTHANC_BINARY } from '../../scripts/stack/start-stack';
import type { TestPostgres } from './postgres';

/** Debian's plugins (packages orthanc-dicomweb and orthanc-postgresql); the orthancteam image finds its own. */
const DEBIAN_PLUGIN_DIR = '/usr/share/orthanc/plugins';
const DICOMWEB_PLUGIN = join(DEBIAN_PLUGIN_DIR, 'libOrthancDicomWeb.so');
const POSTGRESQL_PLUGINS = ['libOrthancPostgreSQLIndex.so', 'libOrthancPostgreSQLStorage.so'].map((name) => join(DEBIAN_PLUGIN_DIR, name));

/** Where a shipped configuration's PostgreSQL is on this machine. */
export interface LocalPostgres {
  postgres: TestPostgres;
  database: string;
}

export interface OrthancOptions {
  /** Its HTTP port when the caller must know it first (Nginx's upstream list); a free one otherwise. */
  port?: number;
  /** For /system when the configuration turns on Orthanc's HTTP authentication. */
  healthHeaders?: Record<string, string>;
}

/** A real Orthanc run with an orthanc.json of deploy/kubernetes. */
export interface ShippedOrthanc {
  url: string;
  /** Every file under its own storage and index directories (empty while PostgreSQL holds everything). */
  localFiles(): string[];
  stop(): Promise<void>;
}

/** The PostgreSQL settings that name the server: on this machine, the test's; in the cluster, the overlay's and a secret file. */
const connectionTo = ({ postgres, database }: LocalPostgres) => ({
  Host: postgres.host,
  Port: postgres.port,
  Database: database,
  Username: new URL(postgres.url).username,
  Password: postgres.password,
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

/**
 * Starts Debian's Orthanc with `shipped` (an orthanc.json of deploy/kubernetes) as it is, except what
 * differs on this machine: the plugin files, a free HTTP port on loopback only, its own directories,
 * and, for a configuration on PostgreSQL, where that is (with the password the cluster gives as a secret file).
 */
export async function startShippedOrthanc(shipped: Record<string, unknown>, local?: LocalPostgres, options: OrthancOptions = {}): Promise<ShippedOrthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-orthanc-pg-'));
  const port = options.port ?? (await findFreePort());
  for (const sub of ['config', 'storage', 'index']) mkdirSync(join(dir, sub));
  const config = {
    ...shipped,
    Plugins: local ? [...POSTGRESQL_PLUGINS, DICOMWEB_PLUGIN] : [DICOMWEB_PLUGIN],
    HttpPort: port,
    RemoteAccessAllowed: false,
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    ...(local && { PostgreSQL: { ...(shipped.PostgreSQL as object), ...connectionTo(local) } }),
  };
  writeFileSync(join(dir, 'config', 'orthanc.json'), JSON.stringify(config, null, 2));
  const url = `http://127.0.0.1:${port}`;
  const orthanc = StackChild.start('orthanc', ORTHANC_BINARY, [join(dir, 'config')], process.env, () => undefined);
  try {
    await waitUntilHealthy(orthanc, `${url}/system`, 30_000, options.healthHeaders);
  } catch (error) {
    await orthanc.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    localFiles: () => [...filesUnder(join(dir, 'storage')), ...filesUnder(join(dir, 'index'))],
    stop: async () => {
      await orthanc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../../auth-server/src/config-files';
import { basicAuthorization, ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import type { GateSettings } from '../../setup/gate-settings';
import { writeLocalConfigs } from '../../setup/local-configs';
import { noQuestionsPrompter } from '../../setup/prompt';
import { runSetup } from '../../setup/run-setup';
import { StackChild } from '../../scripts/stack/child';
import { settingsOnFreePorts } from '../../scripts/stack/free-settings';
import { findFreePort, findRestartablePort } from '../../scripts/stack/ports';
import { waitUntilHealthy } from '../../scripts/stack/probe';
import { NGINX_BINARY, ORTHANC_BINARY } from '../../scripts/stack/start-stack';
import { buildAuthServer, type ChildServer, startAuthServer } from './built-server';
import { GateClient } from './gate-client';
import { TEST_ADMIN_PASSWORD } from './test-stack';

const HEALTHY_WITHIN_MS = 20_000;
const START_ATTEMPTS = 3;
const STILL_RUNNING_AFTER_MS = 500;

/** One auth server of the gate: its own process and port, the shared config dir (keys, session secret) and database. */
export interface Replica {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly server: ChildServer;
  /** SIGKILL, as a crash: no request it holds gets an answer. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits for /healthz. */
  start(): Promise<void>;
}

export interface ReplicaGate {
  settings: GateSettings;
  /** HTTPS to Nginx, which spreads over every replica in PACSGATE_AUTH_SERVERS. */
  client: GateClient;
  replicas: Replica[];
  stop(): Promise<void>;
}

export interface ReplicaGateOptions {
  /** Reaches every replica: PACSGATE_DATABASE_URL puts them on one PostgreSQL; without it they share the config dir's SQLite file. */
  serverEnv?: Record<string, string>;
  /** More host:port entries in PACSGATE_ORTHANC_SERVERS after the real Orthanc's. */
  moreOrthancServers?: string[];
}

/**
 * Several auth servers behind one Nginx (rendered from the template with all of them in
 * PACSGATE_AUTH_SERVERS, its auth cache off so every request asks a replica) in front of one real
 * Orthanc, all on one config dir as `npm run setup` leaves it.
 */
export async function startReplicaGate(count: number, options: ReplicaGateOptions = {}): Promise<ReplicaGate> {
  // Once more on new ports when one picked free was taken by another test's process before it was bound.
  try {
    return await startOnFreePorts(count, options);
  } catch {
    return startOnFreePorts(count, options);
  }
}

async function startOnFreePorts(count: number, options: ReplicaGateOptions): Promise<ReplicaGate> {
  buildAuthServer();
  const configDir = mkdtempSync(join(tmpdir(), 'pacsgate-replicas-'));
  // The replicas are killed and started again on their ports.
  const ports = await Promise.all(Array.from({ length: count }, () => findRestartablePort()));
  const orthancHttpPort = await findFreePort();
  const settings = await settingsOnFreePorts(configDir, () => ({
    PACSGATE_AUTH_CACHE_SECONDS: '0',
    PACSGATE_AUTH_SERVERS: ports.map((port) => `127.0.0.1:${port}`).join(','),
    PACSGATE_ORTHANC_HTTP_PORT: String(orthancHttpPort),
    PACSGATE_ORTHANC_SERVERS: [`127.0.0.1:${orthancHttpPort}`, ...(options.moreOrthancServers ?? [])].join(','),
  }));
  const layout = configLayout(configDir);
  const children: StackChild[] = [];
  const replicas: ReplicaHandle[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    for (const replica of replicas) await replica.server.stop();
    if (process.env.PACSGATE_E2E_LOGS) for (const replica of replicas) console.log(`[${replica.name}] ${replica.server.stderr()}`);
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    await runSetup({ settings, yes: true, force: false, adminPassword: TEST_ADMIN_PASSWORD, prompter: noQuestionsPrompter, log: () => undefined });
    writeLocalConfigs(layout, settings, { accessLog: false });
    // First, so its ports (picked free above) are taken before the others start opening connections.
    const nginx = StackChild.start('nginx', NGINX_BINARY, ['-p', layout.nginxRuntime, '-c', layout.nginxConfig, '-e', 'stderr'], process.env, () => undefined);
    children.push(nginx);
    const orthanc = StackChild.start('orthanc', ORTHANC_BINARY, [layout.orthancConfigDir], process.env, () => undefined);
    children.push(orthanc);
    const orthancUrl = `http://127.0.0.1:${settings.orthancHttpPort}`;
    await waitUntilHealthy(orthanc, `${orthancUrl}/system`, HEALTHY_WITHIN_MS, {
      Authorization: basicAuthorization(ORTHANC_USER, readFileSync(layout.orthancNginxPassword, 'utf8').trim()),
    });
    const env = {
      PACSGATE_PUBLIC_URL: settings.publicUrl,
      PACSGATE_ORTHANC_URL: orthancUrl,
      PACSGATE_AUTH_CACHE_SECONDS: '0',
      // Parallel load from one address: the failed-attempt limiter counts requests in flight.
      PACSGATE_ADMIN_ATTEMPTS: '10000',
      ...options.serverEnv,
    };
    // One after the other: the first start migrates the database.
    for (const [index, port] of ports.entries()) {
      const name = String.fromCharCode(65 + index);
      const replica = new ReplicaHandle(name, port, configDir, { ...env, PACSGATE_AUDIT_LOG: join(configDir, `audit-${name}.log`) });
      await replica.start();
      replicas.push(replica);
    }
    await waitUntilHealthy(nginx, `https://127.0.0.1:${settings.httpsPort}/auth/healthz`, HEALTHY_WITHIN_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  const client = new GateClient(settings.publicUrl, readFileSync(layout.tlsCert));
  return {
    settings,
    client,
    replicas,
    stop: async () => {
      client.close();
      await stop();
    },
  };
}

class ReplicaHandle implements Replica {
  private current: ChildServer | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly configDir: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get server(): ChildServer {
    if (!this.current) throw new Error(`replica ${this.name} was never started`);
    return this.current;
  }

  async kill(): Promise<void> {
    this.server.child.kill('SIGKILL');
    await this.server.exited;
  }

  /**
   * Tried three times: on a loaded machine a restart may outlast startAuthServer's wait, or find its
   * port taken meanwhile by another test's process (it was free when picked). Then the /healthz
   * answer startAuthServer saw was that process's, and ours exits: it is checked still running.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const server = await startAuthServer(this.configDir, this.env, this.port);
        this.current = server;
        await new Promise((resolve) => setTimeout(resolve, STILL_RUNNING_AFTER_MS));
        if (server.child.exitCode !== null) throw new Error(`replica ${this.name} exited after its start: ${server.stderr()}`);
        return;
      } catch (error) {
        if (attempt === START_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}

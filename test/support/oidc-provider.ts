import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const CLIENT_ID = 'pacsgate';
export const CLIENT_SECRET = 'test-client-secret-of-some-length';

export interface ProviderUser {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  groups?: string[] | string;
}

export const EDITOR: ProviderUser = { sub: 'sub-editor', name: 'Eda Editor', preferred_username: 'editor', email: 'editor@example.org', groups: ['pacs-editors', 'staff'] };
export const READER: ProviderUser = { sub: 'sub-reader', name: 'Rey Reader', preferred_username: 'reader', email: 'reader@example.org', groups: ['pacs-readers'] };

export interface ProviderOptions {
  redirectUri: string;
  users?: ProviderUser[];
  /** Put the profile claims (groups included) in the ID token too, not only in UserInfo. */
  idTokenCarriesClaims?: boolean;
}

/** How the token endpoint rewrites the next ID tokens: claims replaced (null deletes), or signed with a key the provider does not publish. */
export interface IdTokenTamper {
  claims?: Record<string, unknown>;
  foreignKey?: boolean;
}

export interface TestProvider {
  issuer: string;
  tamperIdTokens(tamper: IdTokenTamper | null): Promise<void>;
  /** Requests the provider has served, by path (`/.well-known/openid-configuration`, `/token`, `/me`, ...). */
  requests(): Promise<Record<string, number>>;
  /** Stops listening (the provider is "down"); the worker stays until `close`. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** Lines oidc-provider prints about its development defaults, expected here. */
const KNOWN_NOTICES = /^oidc-provider (WARNING|NOTICE):|ExperimentalWarning|--trace-warnings/;

/** A start takes about a second, even on two loaded cores. */
const STARTUP_DEADLINE_MS = 10_000;

class ProviderStartTimeout extends Error {}

/**
 * A real oidc-provider on 127.0.0.1 and a free port, in a worker thread of the test process (see the
 * worker for why). Under full load about one worker start in a few hundred never posts `ready`
 * (online, no exit, no error): that worker is dropped and one new one started, with a line on stderr.
 */
export async function startTestProvider(options: ProviderOptions): Promise<TestProvider> {
  try {
    return await startProviderWorker(options);
  } catch (error) {
    if (!(error instanceof ProviderStartTimeout)) throw error;
    process.stderr.write(`${error.message}; starting a new one\n`);
    return startProviderWorker(options);
  }
}

async function startProviderWorker(options: ProviderOptions): Promise<TestProvider> {
  const worker = new Worker(join(__dirname, 'oidc-provider-worker.mjs'), {
    workerData: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: options.redirectUri,
      users: options.users ?? [EDITOR, READER],
      idTokenCarriesClaims: options.idTokenCarriesClaims ?? false,
    },
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.on('data', (chunk: Buffer) => {
    const unexpected = chunk.toString().split('\n').filter((line) => line.trim() && !KNOWN_NOTICES.test(line));
    if (unexpected.length > 0) process.stderr.write(`${unexpected.join('\n')}\n`);
  });
  const issuer = await providerReady(worker);
  let nextId = 0;
  const ask = (message: object) =>
    new Promise<Record<string, number>>((resolve) => {
      const id = ++nextId;
      const onReply = (reply: { id?: number; requests?: Record<string, number> }) => {
        if (reply.id !== id) return;
        worker.off('message', onReply);
        resolve({ ...reply.requests });
      };
      worker.on('message', onReply);
      worker.postMessage({ ...message, id });
    });

  return {
    issuer,
    tamperIdTokens: async (tamper) => void (await ask({ type: 'tamper', tamper })),
    requests: () => ask({ type: 'requests' }),
    stop: async () => void (await ask({ type: 'close' })),
    close: async () => {
      await ask({ type: 'close' });
      await worker.terminate();
    },
  };
}

/** The issuer the worker reports once it listens; an error if it exits, throws or stays silent. */
function providerReady(worker: Worker): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(deadline);
      reject(error);
    };
    const deadline = setTimeout(() => {
      // unref: should the thread not stop, it must not keep the test process alive either.
      worker.unref();
      void worker.terminate();
      fail(new ProviderStartTimeout(`the test OpenID provider's worker did not start within ${STARTUP_DEADLINE_MS} ms`));
    }, STARTUP_DEADLINE_MS);
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`the test OpenID provider's worker exited with ${code} before it was ready`)));
    worker.on('message', (message: { type?: string; issuer?: string }) => {
      if (message.type !== 'ready') return;
      clearTimeout(deadline);
      resolve(message.issuer as string);
    });
  });
}

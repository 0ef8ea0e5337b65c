/** How long one call to Orthanc may take: a scoped request waits on it, so a hung Orthanc must not hang the gate. */
export const ORTHANC_TIMEOUT_MS = 3000;

/**
 * Orthanc could not answer: down, too slow, or it refused the auth server's credential. Callers turn
 * it into a refusal that says so (503), never a 500 or a wait.
 */
export class OrthancUnavailable extends Error {
  constructor(readonly why: 'unreachable' | 'timeout' | 'credential' | 'failed') {
    super(`Orthanc is unavailable (${why})`);
    this.name = 'OrthancUnavailable';
  }
}

export interface OrthancHttpSettings {
  url: string;
  authorization?: string;
  timeoutMs?: number;
}

/** JSON calls to Orthanc's REST API; a 404 is `null`, every other failure an `OrthancUnavailable`. */
export class OrthancHttp {
  private readonly timeoutMs: number;

  constructor(private readonly settings: OrthancHttpSettings) {
    this.timeoutMs = settings.timeoutMs ?? ORTHANC_TIMEOUT_MS;
  }

  get<T>(path: string): Promise<T | null> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T | null> {
    return this.call<T>('POST', path, typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async call<T>(method: string, path: string, body?: string): Promise<T | null> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.settings.authorization) headers.Authorization = this.settings.authorization;
    let response: Response;
    try {
      response = await fetch(`${this.settings.url}${path}`, { method, headers, body, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new OrthancUnavailable((error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
    }
    try {
      if (response.status === 404) return null;
      if (response.status === 401 || response.status === 403) throw new OrthancUnavailable('credential');
      if (!response.ok) throw new OrthancUnavailable('failed');
      return (await response.json()) as T;
    } catch (error) {
      if (error instanceof OrthancUnavailable) throw error;
      throw new OrthancUnavailable((error as Error).name === 'TimeoutError' ? 'timeout' : 'failed');
    } finally {
      // An unread body keeps its connection from going back to the pool.
      if (!response.bodyUsed) await response.body?.cancel().catch(() => undefined);
    }
  }
}

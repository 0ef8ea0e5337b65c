import pg from 'pg';
import { REVOCATIONS_CHANNEL } from './pg-revocations';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;

/**
 * LISTENs for revocations on a connection of its own (a pooled one would be handed to other work).
 * A lost connection is reported, then retried with a doubling delay; once back, `onChange` runs
 * once, since revocations made meanwhile sent no notification here.
 */
export function watchRevocationNotices(config: pg.ClientConfig, onChange: () => void, onError: (error: unknown) => void): () => void {
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const lost = (client: pg.Client, error: unknown) => {
    // A broken connection reports an error and then its end: act once.
    if (stopped || client !== current) return;
    current = undefined;
    void client.end().catch(() => undefined);
    onError(error);
    retry = setTimeout(() => void listen(true), Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++));
  };

  const listen = async (catchUp: boolean) => {
    const client = new pg.Client(config);
    current = client;
    client.on('notification', () => onChange());
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, new Error('the connection listening for revocations ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATIONS_CHANNEL}`);
    } catch (error) {
      lost(client, error);
      return;
    }
    // Stopped while connecting: this connection is the last one.
    if (stopped) {
      void client.end().catch(() => undefined);
      return;
    }
    failures = 0;
    if (catchUp) onChange();
  };

  void listen(false);
  return () => {
    stopped = true;
    clearTimeout(retry);
    void current?.end().catch(() => undefined);
    current = undefined;
  };
}

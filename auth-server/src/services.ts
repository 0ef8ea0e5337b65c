import type { AuditLog } from './audit/audit-log';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Store } from './store/store';
import type { TokenCodec } from './tokens/codec';
import type { RevocationList } from './tokens/revocation-list';

/**
 * The app's shared services -- store, token codec, clock, revocation list, audit log -- and the
 * settings the token functions read. Built once in createApp and handed to every feature; a
 * feature that needs less takes a Pick of it.
 */
export interface Services {
  config: Pick<Config, 'publicUrl' | 'issuer' | 'ttl'>;
  store: Store;
  codec: TokenCodec;
  clock: Clock;
  revocations: RevocationList;
  audit: AuditLog;
}

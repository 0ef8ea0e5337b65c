import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Store } from '../store/store';
import type { TokenCodec } from './codec';
import type { RevocationList } from './revocation-list';

/** What the token functions need; built once in createApp. */
export interface TokenContext {
  config: Pick<Config, 'publicUrl' | 'issuer' | 'ttl'>;
  store: Store;
  codec: TokenCodec;
  clock: Clock;
  revocations: RevocationList;
  audit: AuditLog;
}

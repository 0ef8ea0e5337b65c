import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../auth-server/src/store/sqlite-store';
import { describeStoreContract } from '../../support/store-contract';

describeStoreContract('SQLite (in memory)', () => ({ store: openSqliteStore(':memory:'), cleanup: () => undefined }));

describe('SQLite store on disk', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacsgate-store-'));
    path = join(dir, 'pacsgate.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database file readable by its owner only', () => {
    openSqliteStore(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reopens an existing database with its data (migrations run once)', () => {
    const first = openSqliteStore(path);
    const user = first.users.upsert({ username: 'kept', name: 'Kept', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null }, 1);
    first.close();
    const second = openSqliteStore(path);
    expect(second.users.findById(user.id)?.username).toBe('kept');
    second.close();
  });

  it('spends a token once across two connections (two processes)', () => {
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    const user = a.users.upsert({ username: 'shared', name: 'Shared', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null }, 1);
    a.tokens.recordIssued({ jti: 'shared-jti', kind: 'auth', userId: user.id, familyId: null, expiresAt: 100 }, 1);
    const outcomes = [b.tokens.spend('shared-jti', 'auth', 2), a.tokens.spend('shared-jti', 'auth', 2)];
    expect(outcomes).toEqual(['spent', 'reused']);
    a.close();
    b.close();
  });
});

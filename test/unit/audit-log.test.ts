import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogError, openAuditLog } from '../../auth-server/src/audit/audit-log';
import type { AuditEvent } from '../../auth-server/src/audit/events';
import { redactUri } from '../../auth-server/src/audit/redact-uri';
import { RefusalLimit } from '../../auth-server/src/audit/refusal-limit';
import { VerifyAuditor } from '../../auth-server/src/audit/verify-auditor';
import { CapturingAuditLog } from '../support/capturing-audit';
import { FakeClock } from '../support/fake-clock';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

describe('redactUri', () => {
  it('keeps the path and the other parameters, and replaces the token parameter', () => {
    expect(redactUri('/app/explorer.html?lang=en&token=abc.def&x=1')).toBe('/app/explorer.html?lang=en&token=[redacted]&x=1');
  });

  it('catches a token parameter whose name is percent-encoded, as the verifier decodes it', () => {
    expect(redactUri('/studies?%74oken=secret')).toBe('/studies?%74oken=[redacted]');
  });

  it('replaces JWT-shaped text anywhere in the URI', () => {
    expect(redactUri(`/dicom-web/${JWT}/studies`)).toBe('/dicom-web/[jwt]/studies');
  });

  it('leaves a DICOMweb study URI as it is', () => {
    const uri = '/dicom-web/studies/1.2.840.113619.2.55.3/series?includefield=all';
    expect(redactUri(uri)).toBe(uri);
  });

  it('caps a long URI, and a token cut short by the cap is still replaced', () => {
    const redacted = redactUri(`/${'a'.repeat(1000)}/${JWT}${'b'.repeat(20000)}`);
    expect(redacted.length).toBeLessThan(1100);
    expect(redacted).not.toContain('eyJ');
  });
});

describe('RefusalLimit', () => {
  const clock = new FakeClock();

  it('admits the first lines of each second and reports the rest as one count in a later second', () => {
    const limit = new RefusalLimit(3, clock);
    const reports: Array<[number, number]> = [];
    const report = (count: number, since: number) => void reports.push([count, since]);
    const admitted = Array.from({ length: 10 }, () => limit.admit(report));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(reports).toEqual([]);
    const start = clock.now();
    clock.advanceSeconds(1);
    expect(limit.admit(report)).toBe(true);
    expect(reports).toEqual([[7, start]]);
  });

  it('admits nothing at 0 per second, and still counts', () => {
    const limit = new RefusalLimit(0, clock);
    const reports: number[] = [];
    expect(limit.admit((count) => reports.push(count))).toBe(false);
    clock.advanceSeconds(1);
    limit.admit((count) => reports.push(count));
    expect(reports).toEqual([1]);
  });
});

describe('VerifyAuditor', () => {
  const input = { originalMethod: 'GET', originalUri: `/studies/1?token=${JWT}` };

  it('logs an allowed request only when the access log is on, without the token', () => {
    const quiet = new CapturingAuditLog();
    new VerifyAuditor(quiet, new FakeClock(), { accessLog: false, refusedPerSecond: 10 }).allowed(input, 'alice');
    expect(quiet.events).toEqual([]);
    const audit = new CapturingAuditLog();
    new VerifyAuditor(audit, new FakeClock(), { accessLog: true, refusedPerSecond: 10 }).allowed(input, 'alice');
    expect(audit.events).toEqual([{ event: 'access', username: 'alice', method: 'GET', uri: '/studies/1?token=[redacted]' }]);
  });

  it('logs a refusal with its status and reason, and caps a flood at the per-second limit', () => {
    const audit = new CapturingAuditLog();
    const clock = new FakeClock();
    const auditor = new VerifyAuditor(audit, clock, { accessLog: false, refusedPerSecond: 2 });
    for (let i = 0; i < 1000; i += 1) auditor.refused({ originalMethod: 'DELETE', originalUri: '/x' }, { status: 401, reason: 'malformed' });
    expect(audit.of('verify.refused')).toEqual([
      { event: 'verify.refused', status: 401, reason: 'malformed', method: 'DELETE', uri: '/x' },
      { event: 'verify.refused', status: 401, reason: 'malformed', method: 'DELETE', uri: '/x' },
    ]);
    clock.advanceSeconds(1);
    auditor.refused({}, { status: 403, reason: 'read-only', username: 'bob' });
    expect(audit.of('verify.refused-suppressed')).toEqual([{ event: 'verify.refused-suppressed', count: 998, since: expect.any(String) }]);
    expect(audit.events.at(-1)).toEqual({ event: 'verify.refused', status: 403, reason: 'read-only', method: 'GET', uri: '', username: 'bob' });
  });
});

describe('openAuditLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacsgate-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const linesOf = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  it('appends one JSON line per event, with an ISO time, to a file only its owner can read', () => {
    const path = join(dir, 'logs', 'audit.log');
    const log = openAuditLog(path, { sync: true });
    log.record({ event: 'token.refreshed', jti: 'j1', family: 'f1' });
    log.record({ event: 'key.pruned', kid: 'k1', retiredAt: '2026-01-01T00:00:00.000Z' });
    expect(linesOf(path)).toEqual([
      { log: 'audit', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), event: 'token.refreshed', jti: 'j1', family: 'f1' },
      { log: 'audit', time: expect.any(String), event: 'key.pruned', kid: 'k1', retiredAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('censors a credential field should one ever be passed', () => {
    const path = join(dir, 'audit.log');
    openAuditLog(path, { sync: true }).record({ event: 'access', username: 'a', method: 'GET', uri: '/', token: 'secret' } as AuditEvent);
    expect(readFileSync(path, 'utf8')).not.toContain('secret');
  });

  it('writes to a new file under the same name after reopen (logrotate without copytruncate)', () => {
    const path = join(dir, 'audit.log');
    const log = openAuditLog(path, { sync: true });
    log.record({ event: 'token.refreshed', jti: 'before', family: 'f' });
    renameSync(path, `${path}.1`);
    log.reopen();
    log.record({ event: 'token.refreshed', jti: 'after', family: 'f' });
    expect(linesOf(`${path}.1`).map((line) => line.jti)).toEqual(['before']);
    expect(linesOf(path).map((line) => line.jti)).toEqual(['after']);
  });

  it('refuses to start with a clear error when the file cannot be written', () => {
    // A file where the folder should be: unwritable even for root, which these machines run as.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const attempt = () => openAuditLog(join(dir, 'not-a-folder', 'audit.log'), { sync: false });
    expect(attempt).toThrow(AuditLogError);
    expect(attempt).toThrow(/PACSGATE_AUDIT_LOG/);
  });
});

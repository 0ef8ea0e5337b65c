import { accountFromClaims, needsUserinfo } from '../../../auth-server/src/oidc/account';

const rule = { editorGroups: ['pacs-editors'], groupsClaim: 'groups' };
const base = { iss: 'https://idp.example', sub: 'abc' };

describe('accountFromClaims', () => {
  it('can edit only in an editor group, listed or given as one string', () => {
    expect(accountFromClaims({ ...base, groups: ['staff', 'pacs-editors'] }, rule).canEditResource).toBe(true);
    expect(accountFromClaims({ ...base, groups: 'pacs-editors' }, rule).canEditResource).toBe(true);
    expect(accountFromClaims({ ...base, groups: ['pacs-readers'] }, rule).canEditResource).toBe(false);
    expect(accountFromClaims({ ...base, groups: [{ name: 'pacs-editors' }] }, rule).canEditResource).toBe(false);
    expect(accountFromClaims({ ...base }, rule).canEditResource).toBe(false);
    expect(accountFromClaims({ ...base, roles: ['pacs-editors'] }, { ...rule, groupsClaim: 'roles' }).canEditResource).toBe(true);
  });

  it('offers preferred_username then email, only those fit for the X-Auth-Request-User header', () => {
    expect(accountFromClaims({ ...base, preferred_username: 'alice', email: 'alice@example.org' }, rule).usernames).toEqual(['alice', 'alice@example.org']);
    expect(accountFromClaims({ ...base, preferred_username: 'jürgen', email: 'j@example.org' }, rule).usernames).toEqual(['j@example.org']);
    expect(accountFromClaims({ ...base, preferred_username: 'eve\r\nX-Injected: 1' }, rule).usernames).toEqual([]);
  });

  it('takes the name, or given and family names, and drops one with control characters', () => {
    expect(accountFromClaims({ ...base, name: ' Ada Lovelace ' }, rule).name).toBe('Ada Lovelace');
    expect(accountFromClaims({ ...base, given_name: 'Ada', family_name: 'Lovelace' }, rule).name).toBe('Ada Lovelace');
    expect(accountFromClaims({ ...base, name: 'Ada\u0007' }, rule).name).toBeUndefined();
  });
});

describe('needsUserinfo', () => {
  it('asks UserInfo when the ID token lacks the groups claim or any username', () => {
    expect(needsUserinfo({ ...base, groups: [], preferred_username: 'alice' }, 'groups')).toBe(false);
    expect(needsUserinfo({ ...base, preferred_username: 'alice' }, 'groups')).toBe(true);
    expect(needsUserinfo({ ...base, groups: [] }, 'groups')).toBe(true);
  });
});

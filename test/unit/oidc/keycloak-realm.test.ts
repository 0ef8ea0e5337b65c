import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../auth-server/src/config';

const ROOT = join(__dirname, '..', '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'oidc.md'), 'utf8');

interface Realm {
  realm: string;
  groups: { name: string }[];
  users: { username: string; groups: string[]; credentials: { value: string }[] }[];
  clients: {
    clientId: string;
    secret: string;
    publicClient: boolean;
    standardFlowEnabled: boolean;
    redirectUris: string[];
    protocolMappers: { protocolMapper: string; config: Record<string, string> }[];
  }[];
}
const realm = JSON.parse(readFileSync(join(ROOT, 'docker', 'keycloak', 'pacsgate-realm.json'), 'utf8')) as Realm;

/** The "demo setting | value" table of docs/oidc.md, values without their backticks. */
function demoTable(): Record<string, string> {
  const rows = doc.split('| demo setting | value |')[1].split('\n\n')[0].split('\n').slice(2);
  return Object.fromEntries(rows.map((row) => row.split('|').map((cell) => cell.trim())).map(([, name, value]) => [name, value]));
}
const code = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1];
/** A `NAME=value` line of the documented pacsgate.env addition. */
const envLine = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(doc)?.[1];

describe('the Keycloak demo realm agrees with docs/oidc.md', () => {
  const table = demoTable();
  const client = realm.clients.find((candidate) => candidate.clientId === code(table['client id']));

  it('has the documented realm, a confidential code-flow client and its secret', () => {
    expect(realm.realm).toBe(code(table.realm));
    expect(client).toMatchObject({ publicClient: false, standardFlowEnabled: true, secret: code(table['client secret']) });
    expect(envLine('PACSGATE_OIDC_CLIENT_ID')).toBe(client?.clientId);
    expect(envLine('PACSGATE_OIDC_CLIENT_SECRET')).toBe(client?.secret);
    expect(envLine('PACSGATE_OIDC_ISSUER')).toMatch(new RegExp(`/realms/${realm.realm}$`));
  });

  it('allows exactly the documented redirect URI, the callback of the default public URL', () => {
    const { publicUrl } = loadConfig({ PACSGATE_CONFIG_DIR: tmpdir(), PACSGATE_ADMIN_PASSWORD_HASH: `$2b$04$${'a'.repeat(53)}`, PACSGATE_SESSION_SECRET: 'x'.repeat(32) });
    expect(code(table['redirect URI'])).toBe(`${publicUrl}/auth/oidc/callback`);
    expect(client?.redirectUris).toEqual([code(table['redirect URI'])]);
  });

  it('has the documented groups, sent by name in the documented claim of the ID token', () => {
    const editors = code(table['editor group']);
    expect(realm.groups.map((group) => group.name).sort()).toEqual([editors, code(table['reader group'])].sort());
    expect(envLine('PACSGATE_OIDC_EDITOR_GROUPS')).toBe(editors);
    expect(client?.protocolMappers).toContainEqual(
      expect.objectContaining({
        protocolMapper: 'oidc-group-membership-mapper',
        config: expect.objectContaining({ 'claim.name': code(table['groups claim']), 'full.path': 'false', 'id.token.claim': 'true' }),
      }),
    );
  });

  it('has the two documented demo users, one per group, with the documented passwords', () => {
    const documented = [...table['demo users'].matchAll(/`([^`]+)` \(password `([^`]+)`, in `([^`]+)`\)/g)].map(([, username, password, group]) => ({ username, password, group }));
    expect(documented).toHaveLength(2);
    expect(realm.users.map((user) => ({ username: user.username, password: user.credentials[0].value, group: user.groups.join() }))).toEqual(
      documented.map((user) => ({ ...user, group: `/${user.group}` })),
    );
  });
});

describe('the keycloak profile of docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { profiles?: string[]; command?: string[]; volumes?: string[]; environment?: Record<string, string> }> };
  const keycloak = compose.services.keycloak;

  it('imports the realm file at start, only under the keycloak profile', () => {
    expect(keycloak.profiles).toEqual(['keycloak']);
    expect(keycloak.command).toContain('--import-realm');
    expect(keycloak.volumes).toContain('./docker/keycloak/pacsgate-realm.json:/opt/keycloak/data/import/pacsgate-realm.json:ro');
  });

  it('serves the issuer docs/oidc.md tells the auth server to use', () => {
    expect(`${keycloak.environment?.KC_HOSTNAME}/realms/${realm.realm}`).toBe(envLine('PACSGATE_OIDC_ISSUER'));
  });
});

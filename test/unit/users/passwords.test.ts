import { PasswordHasher } from '../../../auth-server/src/users/passwords';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(4);

  it('stores bcrypt hashes, never the password', async () => {
    const hash = await hasher.hash('s3cret password');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(hash).not.toContain('s3cret');
  });

  it('matches the right password only', async () => {
    const hash = await hasher.hash('s3cret password');
    await expect(hasher.matches('s3cret password', hash)).resolves.toBe(true);
    await expect(hasher.matches('S3cret password', hash)).resolves.toBe(false);
  });

  it('answers false for a user without a password, whatever is typed', async () => {
    await expect(hasher.matches('', null)).resolves.toBe(false);
    await expect(hasher.matches('anything', undefined)).resolves.toBe(false);
  });
});

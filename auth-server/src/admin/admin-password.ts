import { BadRequest } from '../errors';
import type { PasswordHasher } from '../users/passwords';

export async function checkAdminPassword(hasher: PasswordHasher, adminPasswordHash: string, password: string): Promise<void> {
  if (!(await hasher.matches(password, adminPasswordHash))) throw new BadRequest('Invalid admin password');
}

import bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';

/**
 * bcrypt hashing plus a stand-in hash, so checking an unknown user costs the same as checking a
 * wrong password (no user enumeration by timing).
 */
export class PasswordHasher {
  private readonly standIn: string;

  constructor(private readonly cost: number) {
    this.standIn = bcrypt.hashSync(randomBytes(16).toString('hex'), cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async matches(password: string, hash: string | null | undefined): Promise<boolean> {
    const matched = await bcrypt.compare(password, hash ?? this.standIn);
    return matched && Boolean(hash);
  }
}

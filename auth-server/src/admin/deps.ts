import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Csrf } from '../http/csrf';
import type { TokenContext } from '../tokens/context';
import type { PasswordHasher } from '../users/passwords';

export interface AdminDeps {
  config: Config;
  tokens: TokenContext;
  hasher: PasswordHasher;
  csrf: Csrf;
  adminLimit: RequestHandler;
}

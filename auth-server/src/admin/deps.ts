import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Csrf } from '../http/csrf';
import type { Keyring } from '../keys/keyring';
import type { Services } from '../services';
import type { PasswordHasher } from '../users/passwords';

export interface AdminDeps {
  config: Config;
  services: Services;
  hasher: PasswordHasher;
  csrf: Csrf;
  adminLimit: RequestHandler;
  /** The server's own keyring: a rotation from the admin page takes effect in it at once. */
  keyring: Keyring;
}

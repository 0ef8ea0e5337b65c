import { join } from 'node:path';

/** The only Orthanc user; setup generates its password, which only Nginx and the auth server send. */
export const ORTHANC_USER = 'pacsgate-nginx';

/** Where setup keeps that password, inside PACSGATE_CONFIG_DIR. */
export const ORTHANC_PASSWORD_FILE = join('orthanc', 'nginx-password');

/** The `Authorization` value Orthanc expects for a user of its `RegisteredUsers`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

import { z } from 'zod';
import { nameField, passwordField, usernameField } from '../users/fields';

export const generateTokenBody = z.strictObject({
  name: nameField,
  username: usernameField,
  password: passwordField,
  userPassword: passwordField.optional(),
  canEditResource: z.boolean().optional(),
  createUserIfNotExists: z.boolean().optional(),
});

/** The contract's messages for the first field that fails. */
export const GENERATE_TOKEN_MESSAGES: Record<string, string> = { name: 'Name not valid', username: 'username not valid' };

const checkbox = z.literal('on').optional().transform(Boolean);
const optionalText = z.string().optional().transform((value) => value || undefined);

export const tokenForm = z.strictObject({
  _csrf: z.string(),
  name: nameField,
  username: usernameField,
  canEditResource: checkbox,
  userPassword: optionalText.pipe(passwordField.optional()),
  adminPassword: passwordField,
  confirmOverwrite: checkbox,
});

/** The admin pages' messages (/token, /users, /keys) for the first field that fails. */
export const ADMIN_FORM_MESSAGES: Record<string, string> = {
  name: 'Enter the user’s name (printable characters, up to 200).',
  username: 'Enter a username: letters, digits and . _ @ + - (up to 128, starting with a letter or digit).',
  userPassword: 'The user password must be at most 72 bytes.',
  adminPassword: 'Enter the admin password.',
};

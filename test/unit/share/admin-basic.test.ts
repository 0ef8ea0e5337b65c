import fc from 'fast-check';
import { basicAdminPassword } from '../../../auth-server/src/share/admin-basic';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

it('reads the password of admin, colons and all', () => {
  expect(basicAdminPassword(basic('admin:secret'))).toBe('secret');
  expect(basicAdminPassword(basic('admin:a:b'))).toBe('a:b');
  expect(basicAdminPassword(basic('admin:'))).toBe('');
  expect(basicAdminPassword(`basic ${Buffer.from('admin:x').toString('base64')}`)).toBe('x');
});

it.each([
  ['no header', undefined],
  ['another user', basic('root:secret')],
  ['no colon', basic('admin')],
  ['a Bearer token', 'Bearer admin:secret'],
  ['not base64', 'Basic ***'],
  ['two credentials', `${basic('admin:x')} ${basic('admin:y')}`],
])('gives nothing for %s', (_name, header) => {
  expect(basicAdminPassword(header)).toBeUndefined();
});

it('gives back any password it was given for admin, and never throws', () => {
  fc.assert(fc.property(fc.string(), (password) => basicAdminPassword(basic(`admin:${password}`)) === password));
  fc.assert(fc.property(fc.string(), (header) => basicAdminPassword(header) === undefined || header.toLowerCase().startsWith('basic ')));
});

import { generatePassword, passwordProblems } from '../../setup/admin-password';

it.each(['short1A!', 'alllowercaseletters', 'Orthanc-Admin-2024', 'aaaaaaaaaaaaaaaaaaaaaaaa'])('refuses %s', (password) => {
  expect(passwordProblems(password)).not.toEqual([]);
});

it.each(['Correct-Horse-9', 'a long passphrase of many words'])('accepts %s', (password) => {
  expect(passwordProblems(password)).toEqual([]);
});

it('generates passwords its own check accepts', () => {
  for (let i = 0; i < 20; i += 1) expect(passwordProblems(generatePassword())).toEqual([]);
});

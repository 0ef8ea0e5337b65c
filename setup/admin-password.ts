import { randomBytes } from 'node:crypto';

const COMMON_WORDS = ['password', 'pacsgate', 'orthanc', 'admin', 'qwerty', '123456'];

/** What is wrong with a candidate admin password; empty when it is strong enough. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('use at least 12 characters');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (password.length < 20 && classes < 3) {
    problems.push('mix at least three of: lower case, upper case, digits, symbols (or use 20+ characters)');
  }
  const lower = password.toLowerCase();
  const word = COMMON_WORDS.find((common) => lower.includes(common));
  if (word) problems.push(`do not build it on "${word}"`);
  if (/^(.)\1*$/.test(password)) problems.push('do not repeat one character');
  return problems;
}

/** 144 random bits, URL-safe, so it can be pasted anywhere. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

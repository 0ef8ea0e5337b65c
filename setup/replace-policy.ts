import { existsSync } from 'node:fs';
import { Prompter } from './prompt';

export interface ReplacePolicy {
  yes: boolean;
  force: boolean;
  prompter: Prompter;
}

/**
 * Whether setup may replace the secret at `path`: when there is none, with --force, or when
 * the operator says so. Under --yes an existing secret is kept, unless the operator asked for a
 * new one explicitly (`requested`): then setup stops rather than ignore the request.
 */
export async function mayReplace(what: string, path: string, policy: ReplacePolicy, requested: boolean): Promise<boolean> {
  if (!existsSync(path) || policy.force) return true;
  if (policy.yes) {
    if (requested) throw new Error(`${what} already exists (${path}); pass --force to replace it`);
    return false;
  }
  return policy.prompter.confirm(`${what} already exists (${path}). Replace it?`);
}

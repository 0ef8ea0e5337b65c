import bcrypt from 'bcrypt';
import { ConfigLayout } from '../auth-server/src/config-files';
import { generatePassword, passwordProblems } from './admin-password';
import { replacePrivateFile } from './private-files';
import { Prompter } from './prompt';
import { mayReplace, ReplacePolicy } from './replace-policy';
import { createSelfSignedCertificate, hostnameOf, linkCertificate } from './tls';

async function askNewPassword(prompter: Prompter, log: (line: string) => void): Promise<string> {
  for (;;) {
    const first = await prompter.askHidden('Admin password: ');
    const problems = passwordProblems(first);
    if (problems.length > 0) {
      log(`Too weak: ${problems.join('; ')}.`);
      continue;
    }
    if ((await prompter.askHidden('Admin password, again: ')) === first) return first;
    log('The two entries differ; once more.');
  }
}

export interface AdminPasswordStep extends ReplacePolicy {
  /** PACSGATE_ADMIN_PASSWORD, for --yes. */
  given?: string;
  bcryptCost: number;
  log: (line: string) => void;
}

/** Stores the bcrypt hash of the admin password; returns the password when setup made it up. */
export async function setAdminPassword(hashFile: string, step: AdminPasswordStep): Promise<string | undefined> {
  if (!(await mayReplace('The admin password', hashFile, step, step.given !== undefined))) {
    step.log(`Kept the admin password already set (${hashFile}).`);
    return undefined;
  }
  let password = step.given;
  let generated: string | undefined;
  if (password !== undefined) {
    const problems = passwordProblems(password);
    if (problems.length > 0) throw new Error(`PACSGATE_ADMIN_PASSWORD is too weak: ${problems.join('; ')}`);
  } else if (step.yes) {
    password = generated = generatePassword();
  } else {
    password = await askNewPassword(step.prompter, step.log);
  }
  replacePrivateFile(hashFile, `${await bcrypt.hash(password, step.bcryptCost)}\n`);
  step.log(`Stored the admin password's bcrypt hash in ${hashFile}.`);
  return generated;
}

export interface CertificateStep extends ReplacePolicy {
  cert?: string;
  key?: string;
  publicUrl: string;
  log: (line: string) => void;
}

/** Links the operator's certificate, or makes a self-signed one for the public URL's host. */
export async function setCertificate(layout: ConfigLayout, step: CertificateStep): Promise<void> {
  if ((step.cert === undefined) !== (step.key === undefined)) throw new Error('give both --cert and --key, or neither');
  const given = step.cert !== undefined;
  if (!(await mayReplace('A TLS certificate', layout.tlsCert, step, given))) {
    step.log(`Kept the TLS certificate already set (${layout.tlsCert}).`);
    return;
  }
  if (step.cert !== undefined && step.key !== undefined) {
    linkCertificate(layout, step.cert, step.key);
    step.log(`Nginx will use ${step.cert} (linked from ${layout.tlsCert}).`);
    return;
  }
  const hostname = hostnameOf(step.publicUrl);
  createSelfSignedCertificate(layout, hostname);
  step.log(`Made a self-signed TLS certificate for ${hostname} (${layout.tlsCert}); browsers will warn until you use your own.`);
}

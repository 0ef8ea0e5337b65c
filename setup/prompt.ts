import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface Prompter {
  /** Asks without echoing what is typed (passwords). */
  askHidden(question: string): Promise<string>;
  confirm(question: string): Promise<boolean>;
  close(): void;
}

export function terminalPrompter(): Prompter {
  let muted = false;
  // readline echoes typed characters through its output; muting that stream hides them.
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const lines = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  // The iterator queues lines, so answers piped in ahead of their questions are not lost.
  const answers = lines[Symbol.asyncIterator]();
  const ask = async (question: string, hidden: boolean): Promise<string> => {
    process.stdout.write(question);
    muted = hidden;
    const next = await answers.next();
    muted = false;
    if (hidden) process.stdout.write('\n');
    if (next.done) throw new Error('input ended before setup got its answer');
    return next.value;
  };
  return {
    askHidden: (question) => ask(question, true),
    confirm: async (question) => /^y(es)?$/i.test((await ask(`${question} [y/N] `, false)).trim()),
    close: () => lines.close(),
  };
}

/** For `--yes`: any question setup would have to ask is an error instead. */
export const noQuestionsPrompter: Prompter = {
  askHidden: () => Promise.reject(new Error('setup --yes cannot ask for a password')),
  confirm: () => Promise.resolve(false),
  close: () => undefined,
};

/** Questions on the terminal (hidden for passwords) and whole-stdin reads (`-`, --password-stdin). */
import { createInterface } from "node:readline";
import { CliError } from "./cli-error.ts";

export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

export async function ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  if (!isInteractive())
    throw new CliError(`cannot ask "${question.trim()}": no terminal (give it as a flag)`, 2, "usage");
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (options.hidden) {
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) =>
      write(s.startsWith(question) ? s : s.replace(/[^\r\n]/g, ""));
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (options.hidden) process.stderr.write("\n");
    rl.close();
  }
}

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

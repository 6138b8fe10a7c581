/** The one place the CLI prints failures: the message (it says what to do) and exit code 1. */
export function handleError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
}

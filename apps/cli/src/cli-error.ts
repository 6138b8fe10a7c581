/**
 * Expected failures of the CLI, each with the exit code it ends with. Only handle-error.ts prints
 * them. Exit codes: 1 the request failed (refused, not found, did not converge), 2 usage (bad flags
 * or arguments), 3 no manager answers at the host.
 */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    /** The server's code (`not-found`, ...) or the CLI's own (`usage`, `not-converged`). */
    readonly code: string = "failed",
  ) {
    super(message);
  }
}

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message, EXIT_USAGE, "usage");
  }
}

/**
 * The one place the CLI prints failures: the server's code and message (the message says what to
 * do), a hint where the CLI knows better (log in, start the daemon), and the exit code.
 */
import { TRPCClientError } from "@trpc/client";
import { CliError, EXIT_FAILURE, EXIT_UNREACHABLE, EXIT_USAGE, UsageError } from "./cli-error.ts";

export interface PrintedError {
  readonly text: string;
  readonly exitCode: number;
}

/** What handleError prints for an error, and the exit code (pure, for tests). */
export function describeError(error: unknown, host?: string): PrintedError {
  if (error instanceof UsageError) {
    return {
      text: `Error: ${error.message}${error.usage ? `\n\n${error.usage}` : ""}`,
      exitCode: EXIT_USAGE,
    };
  }
  if (error instanceof CliError) return { text: `Error: ${error.message}`, exitCode: error.exitCode };
  if (error instanceof TRPCClientError) return describeApiError(error, host);
  const message = error instanceof Error ? error.message : String(error);
  return { text: `Error: ${message}`, exitCode: EXIT_FAILURE };
}

function describeApiError(error: TRPCClientError<never>, host: string | undefined): PrintedError {
  const data = error.data as { shoalCode?: string; httpStatus?: number } | undefined;
  const code = data?.shoalCode;
  if (code === undefined) {
    if (isConnectionFailure(error)) {
      return {
        text:
          `Error: cannot reach a Shoal manager at ${host ?? "the host"}: is \`shoal daemon\` running there? ` +
          "(choose another with -H or SHOAL_HOST)",
        exitCode: EXIT_UNREACHABLE,
      };
    }
    return { text: `Error: ${error.message}`, exitCode: EXIT_FAILURE };
  }
  const hints: Record<string, string> = {
    unauthenticated: `Run \`shoal ${host ? `-H ${host} ` : ""}login\` to log in.`,
    "setup-required": "Create the first admin: `shoal swarm init --admin-user NAME` on a new swarm.",
  };
  const hint = hints[code];
  return { text: `Error (${code}): ${error.message}${hint ? `\n${hint}` : ""}`, exitCode: EXIT_FAILURE };
}

function isConnectionFailure(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "ECONNRESET") {
      return true;
    }
    if (cause instanceof TypeError && cause.message === "fetch failed") return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

export function handleError(error: unknown, host?: string): never {
  const { text, exitCode } = describeError(error, host);
  process.stderr.write(`${text}\n`);
  process.exit(exitCode);
}

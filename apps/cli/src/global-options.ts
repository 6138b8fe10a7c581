/** Global options before the command, as docker's: `-H HOST`, `--host HOST`, `--host=HOST`, `-HHOST`. */
import { UsageError } from "./cli-error.ts";

export function splitGlobalOptions(argv: string[]): { host: string | undefined; rest: string[] } {
  let host: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-H" || arg === "--host") {
      host = argv[++i];
      if (host === undefined) throw new UsageError(`${arg} needs a value, e.g. -H http://10.0.0.5:8080`);
    } else if (arg.startsWith("--host=")) host = arg.slice("--host=".length);
    else if (arg.startsWith("-H") && arg.length > 2) host = arg.slice(2);
    else break;
  }
  return { host, rest: argv.slice(i) };
}

/**
 * The CLI's side of `stack deploy|config`: reads the `-c` files (and the env_files they name),
 * loads them locally for positioned errors and warnings, and reads the secret/config files the
 * stack creates. The manager loads the same texts again; nothing else of the disk reaches it.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { formatDiagnostic, type LoadedStack, loadStack, readStackObjectData } from "@shoal/compose";
import { CliError } from "../cli-error.ts";

export interface StackSource {
  readonly files: { name: string; text: string }[];
  readonly env: Record<string, string>;
  readonly workingDir: string;
  readonly attachedFiles: Record<string, string>;
}

export interface ReadStack {
  readonly source: StackSource;
  readonly loaded: LoadedStack;
}

export async function readStack(paths: readonly string[], stackName: string): Promise<ReadStack> {
  const files = await Promise.all(
    paths.map(async (name) => {
      try {
        return { name, text: await readFile(name, "utf8") };
      } catch (error) {
        throw new CliError(`cannot read stack file ${name}: ${(error as Error).message}`);
      }
    }),
  );
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const workingDir = resolve(dirname(paths[0] ?? "."));
  const attachedFiles: Record<string, string> = {};
  let result = loadStack({ files, stackName, env, workingDir });
  if (!result.ok) {
    const needed = result.errors
      .filter((e) => e.code === "file-needed")
      .map((e) => /"([^"]+)"/.exec(e.message)?.[1]);
    for (const path of new Set(needed)) if (path) attachedFiles[path] = await readFile(path, "utf8");
    if (Object.keys(attachedFiles).length > 0)
      result = loadStack({ files, stackName, env, workingDir, attachedFiles });
  }
  for (const w of result.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
  if (!result.ok) {
    throw new CliError(
      `the stack files have errors:\n${result.errors.map(formatDiagnostic).join("\n")}`,
      1,
      "invalid-argument",
    );
  }
  return { source: { files, env, workingDir, attachedFiles }, loaded: result };
}

/** Base64 content of the secrets and configs the stack creates, by their key in the stack file. */
export async function readStackObjects(loaded: LoadedStack): Promise<{
  secretData: Record<string, string>;
  configData: Record<string, string>;
}> {
  const read = async (objects: LoadedStack["secrets"]) =>
    Object.fromEntries(
      await Promise.all(objects.map(async (o) => [o.key, await readStackObjectData(o.file)] as const)),
    );
  return { secretData: await read(loaded.secrets), configData: await read(loaded.configs) };
}

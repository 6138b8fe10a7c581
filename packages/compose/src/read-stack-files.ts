import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SECRET_DATA_BYTES_MAX } from "@shoal/store";
import type { Environment } from "./interpolation.ts";
import { type LoadStackResult, loadStack } from "./load-stack.ts";

/**
 * The file-system side of loading a stack, for the CLI: reads the stack files, then the env_files
 * the loader asks for (diagnostics with code `file-needed`), and loads again with them attached.
 * Relative paths inside the files resolve against the first file's directory, made absolute.
 */
export async function loadStackFromDisk(paths: readonly string[], stackName: string, env: Environment) {
  const files = await Promise.all(paths.map(async (name) => ({ name, text: await readFile(name, "utf8") })));
  const workingDir = resolve(dirname(paths[0] ?? "."));
  let result: LoadStackResult = loadStack({ files, stackName, env, workingDir });
  if (result.ok) return result;
  const needed = [...new Set(result.errors.filter((e) => e.code === "file-needed").map(neededPath))];
  if (needed.length === 0) return result;
  const attachedFiles: Record<string, string> = {};
  for (const path of needed) attachedFiles[path] = await readFile(path, "utf8");
  result = loadStack({ files, stackName, env, workingDir, attachedFiles });
  return result;
}

function neededPath(d: { message: string }): string {
  return /"([^"]+)"/.exec(d.message)?.[1] ?? "";
}

/** Reads a secret's or config's `file` as base64 data for its spec, refusing files over the limit. */
export async function readStackObjectData(file: string): Promise<string> {
  const data = await readFile(file);
  if (data.byteLength > SECRET_DATA_BYTES_MAX) {
    throw new Error(
      `${file} is ${data.byteLength} bytes; secrets and configs hold at most ${SECRET_DATA_BYTES_MAX}`,
    );
  }
  return data.toString("base64");
}

/**
 * Credentials per host in ~/.shoal/config.json (directory 0700, file 0600), like docker's
 * ~/.docker/config.json. SHOAL_CONFIG names another directory (tests, several identities).
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const HostCredentials = z.object({
  /** An API token (`shoal_...`): sent as `Authorization: Bearer`. */
  token: z.string().min(1),
  user: z.string().optional(),
  /** The token's id when `shoal login` created it (logout revokes it). */
  tokenId: z.string().optional(),
});
export type HostCredentials = z.infer<typeof HostCredentials>;

const ConfigFile = z.object({ hosts: z.record(z.string(), HostCredentials).default({}) });
type ConfigFile = z.infer<typeof ConfigFile>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHOAL_CONFIG ?? join(homedir(), ".shoal");
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "config.json");
}

async function load(): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(configPath(), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { hosts: {} };
    throw error;
  }
  const parsed = ConfigFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${configPath()} is not a shoal config file: fix or remove it`);
  return parsed.data;
}

async function save(config: ConfigFile): Promise<void> {
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  const path = configPath();
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

export async function credentialsFor(host: string): Promise<HostCredentials | undefined> {
  return (await load()).hosts[host];
}

export async function storeCredentials(host: string, credentials: HostCredentials): Promise<void> {
  const config = await load();
  config.hosts[host] = credentials;
  await save(config);
}

/** Forgets the host's credentials; returns what was stored. */
export async function removeCredentials(host: string): Promise<HostCredentials | undefined> {
  const config = await load();
  const previous = config.hosts[host];
  if (previous === undefined) return undefined;
  delete config.hosts[host];
  await save(config);
  return previous;
}

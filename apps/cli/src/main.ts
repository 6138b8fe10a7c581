/** `shoal <command> ...`: one file per command under ./commands; errors printed by handle-error.ts. */
import { daemonCommand } from "./commands/daemon.ts";
import { nodeCommand } from "./commands/node.ts";
import { swarmCommand } from "./commands/swarm.ts";
import { handleError } from "./handle-error.ts";

const USAGE = `usage: shoal <command>

  daemon      run a node in the foreground (--data-dir, --listen-addr, --advertise-addr, --api-addr)
  swarm       init | join | leave | join-token
  node        ls | promote | demote | rm

Admin commands talk to the daemon of --data-dir (or SHOAL_DATA_DIR, default ./.data) over its
local socket <data-dir>/admin.sock (temporary, until the HTTP API lands).`;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  daemon: daemonCommand,
  swarm: swarmCommand,
  node: nodeCommand,
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  console.log(USAGE);
  process.exit(name === undefined || name === "--help" || name === "-h" ? 0 : 1);
}
command(rest).catch(handleError);

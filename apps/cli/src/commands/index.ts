/** Every command, loaded when it runs: top-level verbs and `<noun> <verb>` (docker's aliases too). */
import type { Command } from "../command.ts";

export interface Entry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}
export type Group = { readonly summary: string; readonly verbs: Readonly<Record<string, Entry>> };

type Module = Promise<{ command: Command }>;
const entry = (summary: string, module: () => Module): Entry => ({
  summary,
  load: () => module().then((m) => m.command),
});

export const TOP_LEVEL: Readonly<Record<string, Entry>> = {
  daemon: entry("Run a node in the foreground", () => import("./daemon.ts")),
  login: entry("Log in to a manager (stores an API token)", () => import("./login.ts")),
  logout: entry("Log out (revokes the stored token)", () => import("./logout.ts")),
  events: entry("Stream the cluster's events", () => import("./events.ts")),
};

export const GROUPS: Readonly<Record<string, Group>> = {
  swarm: {
    summary: "Manage the swarm",
    verbs: {
      init: entry("Create a swarm (and its first admin)", () => import("./swarm/init.ts")),
      join: entry("Join this node to a swarm", () => import("./swarm/join.ts")),
      leave: entry("Leave the swarm (local node)", () => import("./swarm/leave.ts")),
      "join-token": entry("Show or rotate a join token", () => import("./swarm/join-token.ts")),
      "unlock-key": entry("Show or rotate the unlock key", () => import("./swarm/unlock-key.ts")),
      unlock: entry("Unlock a locked manager", () => import("./swarm/unlock.ts")),
      update: entry("Change swarm settings", () => import("./swarm/update.ts")),
      ca: entry("Show the root CA", () => import("./swarm/ca.ts")),
      inspect: entry("Show the swarm's settings", () => import("./swarm/inspect.ts")),
    },
  },
  node: {
    summary: "Manage nodes",
    verbs: {
      ls: entry("List nodes", () => import("./node/ls.ts")),
      inspect: entry("Show nodes in detail", () => import("./node/inspect.ts")),
      ps: entry("List tasks on nodes", () => import("./node/ps.ts")),
      update: entry("Change availability, labels or role", () => import("./node/update.ts")),
      promote: entry("Make nodes managers", () => import("./node/promote.ts")),
      demote: entry("Make managers workers", () => import("./node/demote.ts")),
      rm: entry("Remove nodes from the swarm", () => import("./node/rm.ts")),
    },
  },
  service: {
    summary: "Manage services",
    verbs: {
      create: entry("Create a service", () => import("./service/create.ts")),
      ls: entry("List services", () => import("./service/ls.ts")),
      ps: entry("List a service's tasks", () => import("./service/ps.ts")),
      logs: entry("Print a service's or a task's logs", () => import("./service/logs.ts")),
      inspect: entry("Show services in detail", () => import("./service/inspect.ts")),
      scale: entry("Scale services", () => import("./service/scale.ts")),
      update: entry("Update a service", () => import("./service/update.ts")),
      rollback: entry("Go back to the previous spec", () => import("./service/rollback.ts")),
      rm: entry("Remove services", () => import("./service/rm.ts")),
    },
  },
  stack: {
    summary: "Manage stacks",
    verbs: {
      deploy: entry("Deploy or update a stack", () => import("./stack/deploy.ts")),
      ls: entry("List stacks", () => import("./stack/ls.ts")),
      ps: entry("List a stack's tasks", () => import("./stack/ps.ts")),
      logs: entry("Print a stack's logs, services merged", () => import("./stack/logs.ts")),
      services: entry("List a stack's services", () => import("./stack/services.ts")),
      rm: entry("Remove stacks", () => import("./stack/rm.ts")),
      config: entry("Print the merged stack file", () => import("./stack/config.ts")),
    },
  },
  network: {
    summary: "Manage networks",
    verbs: {
      create: entry("Create a network", () => import("./network/create.ts")),
      ls: entry("List networks", () => import("./network/ls.ts")),
      inspect: entry("Show networks in detail", () => import("./network/inspect.ts")),
      rm: entry("Remove networks", () => import("./network/rm.ts")),
    },
  },
  secret: {
    summary: "Manage secrets",
    verbs: {
      create: entry("Create a secret from a file or stdin", () => import("./secret/create.ts")),
      ls: entry("List secrets", () => import("./secret/ls.ts")),
      inspect: entry("Show secrets (never their data)", () => import("./secret/inspect.ts")),
      rm: entry("Remove secrets", () => import("./secret/rm.ts")),
    },
  },
  config: {
    summary: "Manage configs",
    verbs: {
      create: entry("Create a config from a file or stdin", () => import("./config/create.ts")),
      ls: entry("List configs", () => import("./config/ls.ts")),
      inspect: entry("Show configs in detail", () => import("./config/inspect.ts")),
      rm: entry("Remove configs", () => import("./config/rm.ts")),
    },
  },
};

/** docker's verb aliases. */
export const VERB_ALIASES: Readonly<Record<string, string>> = { list: "ls", remove: "rm" };

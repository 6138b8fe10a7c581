/** `network inspect --pretty`: the network, then its services (VIPs), task containers and nodes. */
import type { NetworkView } from "../api-types.ts";
import { formatPretty } from "./pretty.ts";
import { formatTable, shortId } from "./table.ts";

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => ` ${line}`)
    .join("\n");

export function prettyNetwork(n: NetworkView): string {
  const spec = n.spec;
  const ipam = n.ipam[0];
  const head = formatPretty([
    ["ID", n.id],
    ["Name", spec.name],
    ["Driver", spec.driver.name],
    ["Scope", "swarm"],
    ["Subnet", ipam?.subnet ?? "(not allocated yet)"],
    ["Gateway", ipam?.gateway],
    ["Attachable", String(spec.attachable)],
    ["Internal", String(spec.internal)],
    ["Ingress", String(spec.ingress)],
  ]);
  const sections = [head];
  sections.push(
    n.services.length === 0
      ? "Services: none"
      : `Services:\n${indent(
          formatTable(
            ["NAME", "ENDPOINT MODE", "VIRTUAL IP", "TASKS"],
            n.services.map((s) => [s.name, s.endpointMode, s.vip ?? "-", String(s.tasks)]),
          ),
        )}`,
  );
  sections.push(
    n.containers.length === 0
      ? "Containers: none"
      : `Containers:\n${indent(
          formatTable(
            ["TASK ID", "NAME", "NODE", "IPV4 ADDRESS", "STATE"],
            n.containers.map((c) => [shortId(c.taskId), c.name, c.nodeName, c.ipv4Address, c.state]),
          ),
        )}`,
  );
  sections.push(
    n.peers.length === 0
      ? "Peers: none"
      : `Peers:\n${indent(
          formatTable(
            ["NODE", "ADDRESS", "ADDRESS ON NETWORK", "TASKS"],
            n.peers.map((p) => [p.name, p.address, p.networkAddress ?? "-", String(p.tasks)]),
          ),
        )}`,
  );
  return sections.join("\n");
}

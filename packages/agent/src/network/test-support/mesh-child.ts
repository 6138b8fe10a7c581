/**
 * Runs a routing mesh and a DNS server in whatever network namespace it is started in (the
 * multi-host test starts it with nsenter). argv[2]: JSON { mesh: MeshTable, dns?: { table, address,
 * networkId } }. Prints "ready" once listening; exits when stdin closes.
 */
import { DnsServer } from "../dns/dns-server.ts";
import type { DnsTable } from "../dns/dns-table.ts";
import { readResolvConf } from "../dns/resolv-conf.ts";
import type { MeshTable } from "../mesh/mesh-table.ts";
import { RoutingMesh } from "../mesh/routing-mesh.ts";

const config = JSON.parse(process.argv[2] ?? "{}") as {
  mesh: MeshTable;
  dns?: { table: DnsTable; address: string; networkId: string };
};
const mesh = new RoutingMesh({ onError: (e) => console.error(String(e)) });
await mesh.apply(config.mesh);
const dns = new DnsServer({ upstreams: readResolvConf(), onError: (e) => console.error(String(e)) });
if (config.dns) {
  dns.apply(config.dns.table);
  await dns.listen(config.dns.address, config.dns.networkId);
}
console.log("ready");
process.stdin.resume();
process.stdin.on("end", async () => {
  await mesh.close();
  await dns.close();
  process.exit(0);
});

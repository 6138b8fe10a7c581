import { describe, expect, it } from "vitest";
import { type InputRunner, localInputRunner, NetnsIptables } from "./netns-iptables.ts";

/** Runs every command from a directory that does not exist: as on a node without the tools. */
const missingTools: InputRunner = (argv, input) =>
  localInputRunner([`/nonexistent-shoal-bin/${argv[0]}`, ...argv.slice(1)], input);

describe("iptables in a container's namespace", () => {
  it("says what to install when iptables-restore or nsenter is missing", async () => {
    const iptables = new NetnsIptables(missingTools);
    await expect(iptables.check()).rejects.toThrow(
      /needs iptables-restore and nsenter.*apt-get install iptables/,
    );
    await expect(iptables.restore(1, "*nat\nCOMMIT\n")).rejects.toThrow(/--endpoint-mode dnsrr/);
  });
});

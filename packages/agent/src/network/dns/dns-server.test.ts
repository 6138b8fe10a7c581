import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../test-support/socket-helpers.ts";
import { DnsServer } from "./dns-server.ts";
import {
  buildAnswer,
  buildQuery,
  parseQuery,
  RCODE_NXDOMAIN,
  RCODE_SERVFAIL,
  readAnswer,
} from "./dns-wire.ts";
import { parseResolvConf } from "./resolv-conf.ts";

/** A stand-in for the host's resolver on 127.0.0.1: every name is 192.0.2.1, `missing.*` NXDOMAIN. */
async function fakeUpstream(port: number): Promise<UdpSocket> {
  const s = createSocket("udp4");
  s.on("message", (msg, r) => {
    const q = parseQuery(msg)!;
    const nx = q.name.startsWith("missing.");
    s.send(buildAnswer(q, nx ? [] : ["192.0.2.1"], 60, nx ? RCODE_NXDOMAIN : 0), r.port, r.address);
  });
  await new Promise<void>((r) => s.bind(port, "127.0.0.1", r));
  return s;
}

let id = 0;
async function askUdp(address: string, port: number, name: string, type = 1, from?: string) {
  const s = createSocket("udp4");
  if (from) await new Promise<void>((r) => s.bind(0, from, r));
  try {
    return await new Promise<ReturnType<typeof readAnswer>>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer for ${name}`)), 5_000);
      s.on("message", (m) => {
        clearTimeout(t);
        resolve(readAnswer(m));
      });
      s.send(buildQuery(++id, name, type), port, address);
    });
  } finally {
    s.close();
  }
}

async function askTcp(address: string, port: number, name: string) {
  return new Promise<ReturnType<typeof readAnswer>>((resolve, reject) => {
    const c = connect({ host: address, port });
    const q = buildQuery(++id, name);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.length, 0);
    let buf = Buffer.alloc(0);
    c.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        c.destroy();
        resolve(readAnswer(buf.subarray(2)));
      }
    });
    c.on("error", reject);
    c.write(Buffer.concat([len, q]));
  });
}

describe("node DNS server (real UDP/TCP queries on loopback)", () => {
  let server: DnsServer;
  let upstream: UdpSocket;
  let port: number;

  beforeAll(async () => {
    const upstreamPort = await freePort();
    upstream = await fakeUpstream(upstreamPort);
    port = await freePort();
    server = new DnsServer({ upstreams: [{ host: "127.0.0.1", port: upstreamPort }], forwardTimeoutMs: 500 });
    server.apply({
      networks: [
        {
          networkId: "n1",
          services: [
            { name: "web", endpointMode: "vip", vip: "10.0.1.2", taskAddresses: ["10.0.1.5", "10.0.1.6"] },
            { name: "db", endpointMode: "dnsrr", taskAddresses: ["10.0.1.7", "10.0.1.8"] },
            {
              name: "shop_api",
              stackNamespace: "shop",
              endpointMode: "vip",
              vip: "10.0.1.3",
              taskAddresses: ["10.0.1.9"],
            },
          ],
        },
        {
          networkId: "n2",
          services: [{ name: "cache", endpointMode: "vip", vip: "10.0.2.2", taskAddresses: [] }],
        },
      ],
    });
    await server.listen("127.0.0.2", "n1", port);
    await server.listen("127.0.0.3", "n2", port);
  });
  afterAll(async () => {
    await server.close();
    upstream.close();
  });

  it.each([
    ["web", ["10.0.1.2"]],
    ["tasks.web", ["10.0.1.5", "10.0.1.6"]],
    ["db", ["10.0.1.7", "10.0.1.8"]],
    ["tasks.db", ["10.0.1.7", "10.0.1.8"]],
    ["shop_api", ["10.0.1.3"]],
    ["api", ["10.0.1.3"]],
    ["tasks.api", ["10.0.1.9"]],
    ["WEB.", ["10.0.1.2"]],
    ["example.org", ["192.0.2.1"]],
  ])("%s → %j", async (name, addresses) => {
    const answer = await askUdp("127.0.0.2", port, name);
    expect(answer.rcode).toBe(0);
    expect(answer.addresses).toEqual(addresses);
  });

  it("passes the upstream's NXDOMAIN on", async () => {
    expect((await askUdp("127.0.0.2", port, "missing.example.org")).rcode).toBe(RCODE_NXDOMAIN);
  });

  it("answers AAAA for a Shoal name with no records (no IPv6), not by forwarding", async () => {
    const answer = await askUdp("127.0.0.2", port, "web", 28);
    expect(answer).toMatchObject({ rcode: 0, addresses: [] });
  });

  it("answers only from the network the listening address belongs to", async () => {
    expect((await askUdp("127.0.0.3", port, "cache")).addresses).toEqual(["10.0.2.2"]);
    expect((await askUdp("127.0.0.3", port, "web")).addresses).toEqual(["192.0.2.1"]); // not n2's: forwarded
  });

  it("answers a container on several networks from each of them, asked from its address", async () => {
    server.setClientNetworks("127.0.0.5", ["n2", "n1"]);
    try {
      const ask = (name: string) => askUdp("127.0.0.3", port, name, 1, "127.0.0.5");
      expect((await ask("cache")).addresses).toEqual(["10.0.2.2"]);
      expect((await ask("web")).addresses).toEqual(["10.0.1.2"]);
      expect((await ask("tasks.db")).addresses).toEqual(["10.0.1.7", "10.0.1.8"]);
      // Another client on n2 only still gets n2's names alone.
      expect((await askUdp("127.0.0.3", port, "web", 1, "127.0.0.6")).addresses).toEqual(["192.0.2.1"]);
      server.forgetNetwork("n1");
      expect((await ask("web")).addresses).toEqual(["192.0.2.1"]);
    } finally {
      server.setClientNetworks("127.0.0.5", []);
    }
  });

  it("answers over TCP", async () => {
    expect((await askTcp("127.0.0.2", port, "tasks.web")).addresses).toEqual(["10.0.1.5", "10.0.1.6"]);
  });

  it("SERVFAIL when no upstream answers", async () => {
    const lonely = new DnsServer({
      upstreams: [{ host: "127.0.0.1", port: await freePort() }],
      forwardTimeoutMs: 200,
    });
    const p = await freePort();
    await lonely.listen("127.0.0.4", "n1", p);
    try {
      expect((await askUdp("127.0.0.4", p, "example.org")).rcode).toBe(RCODE_SERVFAIL);
    } finally {
      await lonely.close();
    }
  });
});

describe("parseResolvConf", () => {
  it("takes IPv4 nameservers only", () => {
    const text = "# c\nsearch example\nnameserver 10.255.255.53\nnameserver ::1\nnameserver 1.1.1.1 \n";
    expect(parseResolvConf(text)).toEqual([
      { host: "10.255.255.53", port: 53 },
      { host: "1.1.1.1", port: 53 },
    ]);
  });
});

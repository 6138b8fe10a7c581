import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect, createServer, type Server, type Socket } from "node:net";
import { AgentError } from "../../errors.ts";
import { type DnsTable, indexNames } from "./dns-table.ts";
import {
  buildAnswer,
  buildError,
  CLASS_IN,
  parseQuery,
  RCODE_FORMERR,
  RCODE_SERVFAIL,
  TYPE_A,
} from "./dns-wire.ts";
import type { Upstream } from "./resolv-conf.ts";

export interface DnsServerOptions {
  /** The node's normal resolvers (`readResolvConf()`); other names go there. */
  upstreams: readonly Upstream[];
  /** TTL of Shoal's answers: short, since task sets change. */
  ttlS?: number;
  /** An upstream that has not answered by then is given up for the next. */
  forwardTimeoutMs?: number;
  /** Forwarded queries in flight; past it new ones get SERVFAIL. */
  forwardsInFlightMax?: number;
  onError?: (err: unknown) => void;
}

interface Listener {
  networkId: string;
  udp: UdpSocket;
  tcp: Server;
}

/**
 * The node's resolver for containers on Shoal networks. It listens on the node's address on each
 * network's bridge (the containers' `--dns`) and answers from that network's names (and, for a
 * container on several networks, from those of its other networks); any other name is forwarded, as is, to the node's normal resolvers. UDP and TCP; A records.
 */
export class DnsServer {
  private names = new Map<string, Map<string, string[]>>();
  /** Task address → every network its container is on (containers on several networks). */
  private readonly clientNetworks = new Map<string, readonly string[]>();
  // Invariant: one listener per address.
  private readonly listeners = new Map<string, Listener>();
  private forwardsInFlight = 0;
  private readonly ttlS: number;
  private readonly forwardTimeoutMs: number;
  private readonly forwardsInFlightMax: number;

  constructor(private readonly options: DnsServerOptions) {
    this.ttlS = options.ttlS ?? 5;
    this.forwardTimeoutMs = options.forwardTimeoutMs ?? 2_000;
    this.forwardsInFlightMax = options.forwardsInFlightMax ?? 256;
  }

  /** Replaces every network's names. */
  apply(table: DnsTable): void {
    this.names = new Map(table.networks.map((n) => [n.networkId, indexNames(n.services)]));
  }

  /**
   * A container on several networks asks the DNS server of its first one, from its address there:
   * that address's other networks are looked up too, in the container's order.
   */
  setClientNetworks(address: string, networkIds: readonly string[]): void {
    if (networkIds.length > 1) this.clientNetworks.set(address, [...networkIds]);
    else this.clientNetworks.delete(address);
  }

  /** A network gone from this node: no client is on it any more. */
  forgetNetwork(networkId: string): void {
    for (const [address, ids] of this.clientNetworks) {
      if (ids.includes(networkId)) this.clientNetworks.delete(address);
    }
  }

  /**
   * What a container on `networkId` (asking from `client`) gets for `name`: that network's names
   * first, then those of the client's other networks; undefined = not Shoal's (forwarded).
   */
  lookup(networkId: string, name: string, client?: string): string[] | undefined {
    const key = name.toLowerCase().replace(/\.$/, "");
    const own = this.names.get(networkId)?.get(key);
    if (own || client === undefined) return own;
    for (const other of this.clientNetworks.get(client) ?? []) {
      const found = this.names.get(other)?.get(key);
      if (found) return found;
    }
    return undefined;
  }

  /** Answers containers of `networkId` at address:port (UDP and TCP). Idempotent per address. */
  async listen(address: string, networkId: string, port = 53): Promise<void> {
    const existing = this.listeners.get(address);
    if (existing) {
      existing.networkId = networkId;
      return;
    }
    const udp = createSocket("udp4");
    const tcp = createServer((s) => this.handleTcp(s, listener));
    const listener: Listener = { networkId, udp, tcp };
    udp.on("message", (msg, r) => {
      void this.answer(msg, listener.networkId, "udp", r.address).then((reply) => {
        if (reply) udp.send(reply, r.port, r.address);
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once("error", reject);
        udp.bind(port, address, () => resolve());
      });
      await new Promise<void>((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, address, () => resolve());
      });
    } catch (err) {
      udp.close();
      tcp.close();
      throw new AgentError(
        "INVALID_CONFIG",
        `the DNS server cannot listen on ${address}:${port}: ${String(err)}`,
      );
    }
    udp.on("error", (err) => this.options.onError?.(err));
    tcp.on("error", (err) => this.options.onError?.(err));
    this.listeners.set(address, listener);
  }

  async unlisten(address: string): Promise<void> {
    const listener = this.listeners.get(address);
    if (!listener) return;
    this.listeners.delete(address);
    await Promise.all([
      new Promise<void>((r) => listener.udp.close(() => r())),
      new Promise<void>((r) => listener.tcp.close(() => r())),
    ]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((a) => this.unlisten(a)));
  }

  private async answer(
    msg: Buffer,
    networkId: string,
    via: "udp" | "tcp",
    client: string | undefined,
  ): Promise<Buffer | undefined> {
    const query = parseQuery(msg);
    if (!query) return buildError(msg, RCODE_FORMERR);
    const known = query.qclass === CLASS_IN ? this.lookup(networkId, query.name, client) : undefined;
    if (known) return buildAnswer(query, query.type === TYPE_A ? known : [], this.ttlS);
    const forwarded = await this.forward(msg, via);
    return forwarded ?? buildAnswer(query, [], 0, RCODE_SERVFAIL);
  }

  /** Relays the query to each upstream in turn; the first answer is passed back untouched. */
  private async forward(msg: Buffer, via: "udp" | "tcp"): Promise<Buffer | undefined> {
    if (this.forwardsInFlight >= this.forwardsInFlightMax) return undefined;
    const mine = new Set(this.listeners.keys());
    this.forwardsInFlight++;
    try {
      for (const upstream of this.options.upstreams) {
        if (mine.has(upstream.host)) continue; // never to ourselves
        const reply = await (via === "udp" ? this.forwardUdp(msg, upstream) : this.forwardTcp(msg, upstream));
        if (reply) return reply;
      }
      return undefined;
    } finally {
      this.forwardsInFlight--;
    }
  }

  private forwardUdp(msg: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const socket = createSocket("udp4");
      const done = (reply: Buffer | undefined) => {
        clearTimeout(timer);
        socket.close();
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined), this.forwardTimeoutMs);
      socket.on("error", () => done(undefined));
      socket.on("message", (reply, r) => {
        if (
          r.address === upstream.host &&
          reply.length >= 2 &&
          reply.readUInt16BE(0) === msg.readUInt16BE(0)
        ) {
          done(reply);
        }
      });
      socket.send(msg, upstream.port, upstream.host);
    });
  }

  private forwardTcp(msg: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const socket = connect({ host: upstream.host, port: upstream.port });
      let buffered = Buffer.alloc(0);
      const done = (reply: Buffer | undefined) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined), this.forwardTimeoutMs);
      socket.on("error", () => done(undefined));
      socket.on("close", () => done(undefined));
      socket.on("data", (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          done(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        }
      });
      socket.write(withLength(msg));
    });
  }

  /** TCP: two-byte length before each message; several queries may share a connection. */
  private handleTcp(socket: Socket, listener: Listener): void {
    let buffered = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        void this.answer(msg, listener.networkId, "tcp", socket.remoteAddress).then((reply) => {
          if (reply && !socket.destroyed) socket.write(withLength(reply));
        });
      }
    });
  }
}

function withLength(msg: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(msg.length, 0);
  return Buffer.concat([length, msg]);
}

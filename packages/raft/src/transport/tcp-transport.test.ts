import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { encodeMessage, message } from "../codec.ts";
import { type Logger, type Message, MessageType } from "../types.ts";
import { encodeFrames } from "./frame.ts";
import type { OutboundPeer, OutboundPeers } from "./outbound-peers.ts";
import { listenTcpTransport, type TcpTransport, type TcpTransportOptions } from "./tcp-transport.ts";

interface Recorder extends Logger {
  warnings: string[];
}
function recorder(): Recorder {
  const warnings: string[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn: (msg) => warnings.push(msg),
    error: (msg) => warnings.push(msg),
  };
}

const open: TcpTransport[] = [];
async function start(id: number, extra: Partial<TcpTransportOptions> = {}): Promise<TcpTransport> {
  const t = await listenTcpTransport({ id, listen: "127.0.0.1:0", logger: recorder(), ...extra });
  open.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function inbox(t: TcpTransport): Message[] {
  const got: Message[] = [];
  t.onMessage((m) => got.push(m));
  return got;
}
async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
function app(from: number, to: number, index: number): Message {
  const data = new TextEncoder().encode(`entry ${index}`);
  return message({
    type: MessageType.App,
    from,
    to,
    term: 1,
    index,
    entries: [{ term: 1, index, type: 0, data }],
  });
}
/** Opens a raw socket to the transport and writes bytes, resolving when the server closes it. */
function rawWrite(address: string, bytes: Buffer): Promise<void> {
  const [host, port] = address.split(":");
  return new Promise((resolve) => {
    const s = net.connect({ host: host as string, port: Number(port) }, () => s.write(bytes));
    s.on("error", () => {});
    s.on("close", () => resolve());
  });
}

describe("TcpTransport", () => {
  it("delivers messages to one peer in the order sent, across many batches", async () => {
    const a = await start(1);
    const b = await start(2);
    const got = inbox(b);
    a.addPeer(2, b.address);
    const n = 2_000;
    for (let i = 1; i <= n; i += 10) a.send(Array.from({ length: 10 }, (_, k) => app(1, 2, i + k)));
    await until(() => got.length === n, "all messages");
    expect(got.map((m) => m.index)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new TextDecoder().decode(got[41]?.entries[0]?.data)).toBe("entry 42");
  });

  it("closes a connection that sends a malformed frame and keeps serving others", async () => {
    const b = await start(2);
    const got = inbox(b);
    const garbage = encodeFrames([Uint8Array.from([0xff, 0xff, 0xff])], 3);
    await rawWrite(b.address, garbage);
    expect((b as unknown as { logger: Recorder }).logger.warnings).toContain(
      "transport: closing connection after a bad frame",
    );
    const a = await start(1);
    a.addPeer(2, b.address);
    a.send([app(1, 2, 7)]);
    await until(() => got.length === 1, "a good message after the bad one");
  });

  it("closes a connection whose frame header announces more than maxFrameBytes", async () => {
    const b = await start(2, { maxFrameBytes: 1024 });
    const got = inbox(b);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    await rawWrite(b.address, header);
    const warnings = (b as unknown as { logger: Recorder }).logger.warnings;
    expect(warnings).toContain("transport: closing connection after a bad frame");
    // A real message that is too large is refused the same way.
    const a = await start(1);
    a.addPeer(2, b.address);
    const big = message({
      type: MessageType.App,
      from: 1,
      to: 2,
      entries: [{ term: 1, index: 1, type: 0, data: new Uint8Array(2048) }],
    });
    expect(encodeMessage(big).length).toBeGreaterThan(1024);
    a.send([big]);
    await until(() => warnings.length === 2, "the oversized message to be refused");
    expect(got).toEqual([]);
  });

  it("re-dials a peer that restarts on the same address", async () => {
    const a = await start(1, { reconnectDelayMinMs: 10, reconnectDelayMaxMs: 50 });
    let b = await start(2);
    const address = b.address;
    a.addPeer(2, address);
    let got = inbox(b);
    a.send([app(1, 2, 1)]);
    await until(() => got.length === 1, "first message");
    await b.close();
    const unreachable: number[] = [];
    a.onUnreachable((p) => unreachable.push(p));
    await until(() => {
      a.send([app(1, 2, 2)]);
      return unreachable.length > 0;
    }, "the peer to be reported unreachable");
    b = await start(2, { listen: address });
    got = inbox(b);
    await until(() => {
      a.send([app(1, 2, 3)]);
      return got.length > 0;
    }, "delivery after the restart");
    expect(got[0]?.index).toBe(3);
  });

  it("drops and reports when a peer's send queue is full", async () => {
    const a = await start(1, { sendQueueMaxMessages: 5 });
    const unreachable: number[] = [];
    a.onUnreachable((p) => unreachable.push(p));
    const b = await start(2);
    const got = inbox(b);
    a.addPeer(2, b.address);
    a.send(Array.from({ length: 8 }, (_, i) => app(1, 2, i + 1)));
    expect(unreachable).toEqual([2, 2, 2]);
    await until(() => got.length === 5, "the queued messages");
    expect(got.map((m) => m.index)).toEqual([1, 2, 3, 4, 5]);
  });

  it("drops messages addressed to another node", async () => {
    const b = await start(2);
    const got = inbox(b);
    const a = await start(1);
    a.addPeer(2, b.address);
    // Simulate a stale address book: the frame reaches b but names node 3.
    const peers = (a as unknown as { peers: OutboundPeers<OutboundPeer> }).peers;
    const toB = peers.get(2) as OutboundPeer;
    peers.add(3, b.address, () => toB);
    a.send([app(1, 3, 1), app(1, 2, 2)]);
    await until(() => got.length === 1, "the correctly addressed message");
    expect(got[0]?.index).toBe(2);
  });
});

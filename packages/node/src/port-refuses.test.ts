import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { portRefuses } from "./port-refuses.ts";

describe("portRefuses", () => {
  const server = net.createServer((s) => s.end());
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("is true where nothing listens, false where something does", async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await portRefuses(`127.0.0.1:${port}`, 1_000)).toBe(false);
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const freed = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await portRefuses(`127.0.0.1:${freed}`, 1_000)).toBe(true);
  });

  it("is false for an address that is not host:port", async () => {
    expect(await portRefuses("not-an-address", 200)).toBe(false);
  });
});

import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect, createServer } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  docker,
  probeEngine,
  RUN_ID,
  RUN_LABEL,
  removeRunContainers,
  TEST_IMAGE,
} from "../../test-support/docker-fixture.ts";
import {
  closeServer,
  freePort,
  httpGet,
  type NamedHttpServer,
  waitFor,
} from "../test-support/socket-helpers.ts";
import { RoutingMesh } from "./routing-mesh.ts";

let mesh: RoutingMesh | undefined;
const servers: NamedHttpServer[] = [];
afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
  await Promise.all(servers.splice(0).map((s) => closeServer(s.server)));
});

/** Backends on one target port: the same port on 127.0.0.2, .3, .4 … (all loopback on Linux). */
async function startBackends(names: string[]): Promise<{ port: number }> {
  const { createServer: createHttp } = await import("node:http");
  const port = await freePort();
  names.forEach((name, i) => {
    const server = createHttp((req, res) => {
      const delayMs = Number(new URL(req.url ?? "/", "http://x").searchParams.get("delay") ?? 0);
      setTimeout(() => res.end(name), delayMs);
    });
    server.listen(port, `127.0.0.${i + 2}`);
    servers.push({ name, port, server });
  });
  await Promise.all(
    servers.map(
      (s) => new Promise<void>((r) => (s.server.listening ? r() : s.server.once("listening", () => r()))),
    ),
  );
  return { port };
}

async function startMesh(targetPort: number, taskIds: string[], protocol: "tcp" | "udp" = "tcp") {
  const publishedPort = await freePort();
  mesh = new RoutingMesh({ listenHost: "127.0.0.1", limits: { udpFlowIdleMs: 200 } });
  const apply = (ids: string[]) =>
    mesh!.apply({
      services: [
        {
          serviceId: "svc",
          ports: [{ protocol, publishedPort, targetPort }],
          backends: ids.map((t) => ({ taskId: t, address: `127.0.0.${["a", "b", "c"].indexOf(t) + 2}` })),
        },
      ],
    });
  await apply(taskIds);
  return { publishedPort, apply };
}

describe("routing mesh over real TCP sockets", () => {
  it("round robin across idle backends", async () => {
    const { port } = await startBackends(["a", "b", "c"]);
    const { publishedPort } = await startMesh(port, ["a", "b", "c"]);
    const answers: string[] = [];
    for (let i = 0; i < 9; i++) answers.push(await httpGet(publishedPort));
    expect(answers).toEqual(["a", "b", "c", "a", "b", "c", "a", "b", "c"]);
  });

  it("least connections: a backend busy with a slow request is passed over", async () => {
    const { port } = await startBackends(["a", "b", "c"]);
    const { publishedPort } = await startMesh(port, ["a", "b", "c"]);
    const slow = httpGet(publishedPort, "/?delay=400"); // goes to a
    await waitFor(() => mesh!.connections("a") === 1, 2_000, "the slow request on a");
    const quick = [];
    for (let i = 0; i < 4; i++) quick.push(await httpGet(publishedPort));
    expect(quick).toEqual(["b", "c", "b", "c"]);
    expect(await slow).toBe("a");
  });

  it("a removed task gets no new connection and its in-flight request finishes", async () => {
    const { port } = await startBackends(["a", "b", "c"]);
    const { publishedPort, apply } = await startMesh(port, ["a", "b", "c"]);
    const inFlight = httpGet(publishedPort, "/?delay=500"); // a
    await waitFor(() => mesh!.connections("a") === 1, 2_000, "the request on a");
    mesh!.removeTask("a");
    await apply(["a", "b", "c"]); // an older table still naming a does not bring it back
    const after = [];
    for (let i = 0; i < 6; i++) after.push(await httpGet(publishedPort));
    expect(after).not.toContain("a");
    expect(await inFlight).toBe("a");
    await waitFor(() => mesh!.connections("a") === 0, 2_000, "a to drain");
  });

  it("a backend that refuses is skipped for the next one", async () => {
    const { port } = await startBackends(["a", "b"]);
    const { publishedPort } = await startMesh(port, ["a", "b", "c"]); // c: nothing listens on 127.0.0.4
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(await httpGet(publishedPort));
    expect([...answers].sort()).toEqual(["a", "b"]);
  });

  it("passes a half-close on: the client ends its side and still reads the reply", async () => {
    const port = await freePort();
    const upper = createServer({ allowHalfOpen: true }, (s) => {
      const chunks: Buffer[] = [];
      s.on("data", (c: Buffer) => chunks.push(c));
      s.on("end", () => s.end(Buffer.concat(chunks).toString().toUpperCase()));
    });
    await new Promise<void>((r) => upper.listen(port, "127.0.0.2", r));
    try {
      const { publishedPort } = await startMesh(port, ["a"]);
      const reply = await new Promise<string>((resolve, reject) => {
        const c = connect({ port: publishedPort, host: "127.0.0.1", allowHalfOpen: true });
        const chunks: Buffer[] = [];
        c.on("data", (d: Buffer) => chunks.push(d));
        c.on("end", () => resolve(Buffer.concat(chunks).toString()));
        c.on("error", reject);
        c.end("x".repeat(1 << 20));
      });
      expect(reply).toBe("X".repeat(1 << 20));
    } finally {
      await closeServer(upper);
    }
  });

  it("no backend: the client is closed, not left hanging", async () => {
    const { publishedPort } = await startMesh(await freePort(), []);
    await expect(httpGet(publishedPort)).rejects.toThrow();
  });
});

describe("routing mesh over real UDP sockets", () => {
  const sockets: UdpSocket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  async function udpEcho(name: string, host: string, port: number) {
    const s = createSocket("udp4");
    s.on("message", (m, r) => s.send(`${name}:${m}`, r.port, r.address));
    await new Promise<void>((r) => s.bind(port, host, r));
    sockets.push(s);
  }

  async function udpClient(publishedPort: number) {
    const s = createSocket("udp4");
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
    sockets.push(s);
    return (text: string) =>
      new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no UDP reply")), 2_000);
        s.once("message", (m) => {
          clearTimeout(t);
          resolve(m.toString());
        });
        s.send(text, publishedPort, "127.0.0.1");
      });
  }

  it("keeps each client on one backend, spreads clients, and ends idle flows", async () => {
    const port = await freePort();
    await udpEcho("a", "127.0.0.2", port);
    await udpEcho("b", "127.0.0.3", port);
    const { publishedPort } = await startMesh(port, ["a", "b"], "udp");
    const one = await udpClient(publishedPort);
    const two = await udpClient(publishedPort);
    expect([await one("1"), await one("2")]).toEqual(["a:1", "a:2"]);
    expect([await two("1"), await two("2")]).toEqual(["b:1", "b:2"]);
    expect(mesh!.connections("a") + mesh!.connections("b")).toBe(2);
    await waitFor(() => mesh!.connections("a") + mesh!.connections("b") === 0, 2_000, "idle flows to end");
    mesh!.removeTask("a");
    expect(await one("3")).toBe("b:3");
  });
});

describe("routing mesh to a busybox httpd container", async () => {
  const probe = await probeEngine();
  afterAll(() => (probe.ok ? removeRunContainers() : undefined));

  it.skipIf(!probe.ok)(`forwards to the container (${probe.ok ? "engine up" : probe.reason})`, async () => {
    const container = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: [
        "sh",
        "-c",
        "mkdir -p /www && echo busybox-here > /www/index.html && exec httpd -f -p 80 -h /www",
      ],
      Labels: { [RUN_LABEL]: RUN_ID },
      ExposedPorts: { "80/tcp": {} },
      HostConfig: { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    });
    await container.start();
    const info = await container.inspect();
    const hostPort = Number(info.NetworkSettings.Ports["80/tcp"]?.[0]?.HostPort);
    const publishedPort = await freePort();
    mesh = new RoutingMesh({ listenHost: "127.0.0.1" });
    await mesh.apply({
      services: [
        {
          serviceId: "web",
          ports: [{ protocol: "tcp", publishedPort, targetPort: hostPort }],
          backends: [{ taskId: "t1", address: "127.0.0.1" }],
        },
      ],
    });
    let body = "";
    for (let i = 0; i < 50 && !body; i++) {
      body = await httpGet(publishedPort).catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return "";
      });
    }
    expect(body.trim()).toBe("busybox-here");
    expect(mesh.listening()).toEqual([`tcp/${publishedPort}`]);
  });
});

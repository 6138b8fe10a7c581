import type { EndpointSpec } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { AllocationError } from "./allocation-error.ts";
import { PortAllocator } from "./port-allocator.ts";

const spec = (...ports: [number, number, ("ingress" | "host")?][]): EndpointSpec => ({
  mode: "vip",
  ports: ports.map(([targetPort, publishedPort, publishMode = "ingress"]) => ({
    protocol: "tcp",
    targetPort,
    publishedPort,
    publishMode,
  })),
});
const published = (ports: { publishedPort: number }[]) => ports.map((p) => p.publishedPort);

describe("ingress published ports", () => {
  it("takes explicit ports as given and port 0 from 30000 up, lowest free first", () => {
    const ports = new PortAllocator();
    expect(published(ports.allocate("a", spec([80, 8080], [443, 0])))).toEqual([8080, 30000]);
    expect(published(ports.allocate("b", spec([80, 0], [81, 0])))).toEqual([30001, 30002]);
    ports.releaseService("a");
    expect(published(ports.allocate("c", spec([80, 0])))).toEqual([30000]);
    expect(ports.owner("tcp", 8080)).toBeUndefined();
  });

  it("refuses a port another service publishes, changing nothing", () => {
    const ports = new PortAllocator();
    ports.allocate("a", spec([80, 8080]));
    const refuse = () => ports.allocate("b", spec([80, 9090], [81, 8080]));
    expect(refuse).toThrow(AllocationError);
    expect(refuse).toThrow("port 8080/tcp is already published by service a");
    expect(ports.owner("tcp", 9090)).toBeUndefined();
    expect(() => ports.allocate("b", spec([80, 7070], [81, 7070]))).toThrow(
      /already published by another port/,
    );
    // udp is another port; host mode is not cluster-wide.
    expect(
      published(
        ports.allocate("b", {
          mode: "vip",
          ports: [{ protocol: "udp", targetPort: 1, publishedPort: 8080, publishMode: "ingress" }],
        }),
      ),
    ).toEqual([8080]);
    expect(published(ports.allocate("c", spec([80, 8080, "host"])))).toEqual([8080]);
  });

  it("keeps a service's dynamic ports across updates", () => {
    const ports = new PortAllocator();
    ports.allocate("x", spec([1, 0]));
    const first = ports.allocate("a", spec([80, 0], [443, 0]));
    expect(published(first)).toEqual([30001, 30002]);
    ports.releaseService("x");
    expect(published(ports.allocate("a", spec([443, 0], [80, 0], [22, 0]), first))).toEqual([
      30002, 30001, 30000,
    ]);
  });

  it("reports dynamic range exhaustion", () => {
    const ports = new PortAllocator({ min: 30000, max: 30002 });
    ports.allocate("a", spec([1, 0], [2, 0]));
    ports.allocate("b", spec([1, 0]));
    const refuse = () => ports.allocate("c", spec([1, 0]));
    expect(refuse).toThrow(expect.objectContaining({ code: "ports-exhausted" }));
    expect(refuse).toThrow("no free tcp port left in the dynamic range 30000-30002");
    ports.releaseService("a");
    expect(published(ports.allocate("c", spec([1, 0])))).toEqual([30000]);
  });
});

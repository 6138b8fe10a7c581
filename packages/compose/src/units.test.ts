import { describe, expect, test } from "vitest";
import { parsePortShort, parseVolumeShort, splitShellWords } from "./short-syntax.ts";
import { formatDurationMs, parseBytes, parseDurationMs, parseNanoCpus } from "./units.ts";

describe("units", () => {
  test.each([
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["1.5s", 1_500],
    ["0", 0],
    ["2h45m10s", 9_910_000],
    ["1000us", 1],
  ])("duration %s = %d ms", (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  test.each(["", "10", "-1s", "1d", "s", "1m30"])("duration %j is refused", (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );

  test.each([
    [90_000, "1m30s"],
    [500, "500ms"],
    [3_600_000, "1h"],
    [0, "0s"],
    [1_500, "1.5s"],
  ])("%d ms prints as %s", (ms, text) => expect(formatDurationMs(ms as number)).toBe(text));

  test.each([
    ["512M", 512 * 1024 ** 2],
    ["1g", 1024 ** 3],
    ["1.5GB", 1.5 * 1024 ** 3],
    ["100k", 102_400],
    ["2048", 2048],
    [4096, 4096],
  ])("size %s", (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  test.each(["lots", "-1M", "1X", ""])("size %j is refused", (text) =>
    expect(parseBytes(text)).toBeUndefined(),
  );

  test.each([
    ["0.5", 500_000_000],
    ["2", 2_000_000_000],
    [1.25, 1_250_000_000],
    [".001", 1_000_000],
    ["0.000000001", 1],
  ])("cpus %s", (text, nano) => expect(parseNanoCpus(text)).toBe(nano));

  test.each(["half", "-1", "0.0000000001"])("cpus %j is refused", (text) =>
    expect(parseNanoCpus(text)).toBeUndefined(),
  );
});

describe("short syntax", () => {
  test.each([
    ["80", [{ target: 80, protocol: "tcp", mode: "ingress" }]],
    ["8080:80", [{ target: 80, published: 8080, protocol: "tcp", mode: "ingress" }]],
    ["53:53/udp", [{ target: 53, published: 53, protocol: "udp", mode: "ingress" }]],
    [
      "3000-3001",
      [
        { target: 3000, protocol: "tcp", mode: "ingress" },
        { target: 3001, protocol: "tcp", mode: "ingress" },
      ],
    ],
  ])("port %s", (text, ports) => expect(parsePortShort(text)).toEqual({ ok: true, value: ports }));

  test("a host IP is accepted with a warning", () => {
    const r = parsePortShort("127.0.0.1:8080:80");
    expect(r.ok && r.warning).toMatch(/host IP "127.0.0.1" is ignored/);
  });

  test.each(["80:80:80", "http", "70000", "9090-9091:80", "80/icmp"])("port %j is refused", (text) =>
    expect(parsePortShort(text).ok).toBe(false),
  );

  test.each([
    ["/data", { type: "volume", target: "/data" }],
    ["data:/data", { type: "volume", source: "data", target: "/data" }],
    ["./conf:/etc/conf:ro", { type: "bind", source: "./conf", target: "/etc/conf", read_only: true }],
    ["/host:/c:rshared", { type: "bind", source: "/host", target: "/c", bind: { propagation: "rshared" } }],
    ["data:/data:nocopy", { type: "volume", source: "data", target: "/data", volume: { nocopy: true } }],
  ])("volume %s", (text, mount) => expect(parseVolumeShort(text)).toEqual({ ok: true, value: mount }));

  test.each(["a:b:c:d", "data:/d:bogus", ":/x"])("volume %j is refused", (text) =>
    expect(parseVolumeShort(text).ok).toBe(false),
  );

  test.each([
    ['nginx -g "daemon off;"', ["nginx", "-g", "daemon off;"]],
    ["sh -c 'echo $HOME'", ["sh", "-c", "echo $HOME"]],
    ["a\\ b  c", ["a b", "c"]],
    ['""', [""]],
    ["", []],
  ])("command %j", (text, words) => expect(splitShellWords(text)).toEqual({ ok: true, value: words }));
});

import { describe, expect, it } from "vitest";
import { UsageError } from "../src/cli-error.ts";
import { endOptionsAtFirstPositional, parseOptions } from "../src/command.ts";
import { parseMount } from "../src/flags/mount.ts";
import { parsePublish } from "../src/flags/publish.ts";
import { parseReference } from "../src/flags/references.ts";
import { CREATE_OPTIONS, ServiceFlags } from "../src/flags/service-flags.ts";
import { applyServiceFlags, editEnv } from "../src/flags/service-spec-flags.ts";
import { durationFlagMs, memoryFlagBytes } from "../src/flags/units.ts";
import { splitGlobalOptions } from "../src/global-options.ts";
import { normalizeHost } from "../src/host.ts";

describe("--publish", () => {
  it.each([
    ["8080:80", [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" }]],
    ["53:53/udp", [{ protocol: "udp", targetPort: 53, publishedPort: 53, publishMode: "ingress" }]],
    ["80", [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }]],
    [
      "8000-8001:80-81",
      [
        { protocol: "tcp", targetPort: 80, publishedPort: 8000, publishMode: "ingress" },
        { protocol: "tcp", targetPort: 81, publishedPort: 8001, publishMode: "ingress" },
      ],
    ],
    [
      "published=8080,target=80,protocol=udp,mode=host",
      [{ protocol: "udp", targetPort: 80, publishedPort: 8080, publishMode: "host" }],
    ],
    ["target=80", [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }]],
  ])("%s", (text, expected) => expect(parsePublish(text)).toEqual(expected));

  it.each([
    ["8080:80/icmp", /protocol is tcp, udp or sctp/],
    ["published=8080", /target= is required/],
    ["8080:0", /not a port number/],
    ["70000:80", /not a port number/],
    ["8000-8002:80-81", /different lengths/],
    ["mode=bridge,target=80", /mode is ingress or host/],
    ["a:b", /use PUBLISHED:TARGET/],
  ])("refuses %s", (text, message) => {
    expect(() => parsePublish(text)).toThrow(UsageError);
    expect(() => parsePublish(text)).toThrow(message);
  });
});

describe("--mount", () => {
  it.each([
    [
      "type=bind,source=/srv,target=/data",
      { type: "bind", source: "/srv", target: "/data", readOnly: false },
    ],
    [
      "type=bind,src=/srv,dst=/data,readonly",
      { type: "bind", source: "/srv", target: "/data", readOnly: true },
    ],
    [
      "type=volume,source=db,destination=/var/lib,ro=true",
      { type: "volume", source: "db", target: "/var/lib", readOnly: true },
    ],
    ["target=/cache", { type: "volume", target: "/cache", readOnly: false }],
    ["type=tmpfs,target=/tmp,readonly=false", { type: "tmpfs", target: "/tmp", readOnly: false }],
  ])("%s", (text, expected) => expect(parseMount(text)).toEqual(expected));

  it.each([
    ["type=bind,target=/data", /needs source=/],
    ["type=nfs,target=/x", /bind, volume or tmpfs/],
    ["source=/a", /target= is required/],
    ["type=volume,target=/x,volume-driver=local", /unsupported field "volume-driver"/],
    ["type=tmpfs,source=x,target=/t", /no source/],
  ])("refuses %s", (text, message) => expect(() => parseMount(text)).toThrow(message));
});

describe("durations and sizes", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["0", 0],
  ])("duration %s", (text, ms) => expect(durationFlagMs("restart-delay", text)).toBe(ms));
  it("refuses a duration without a unit", () =>
    expect(() => durationFlagMs("restart-delay", "10")).toThrow(
      "--restart-delay 10: a duration is like 10s",
    ));
  it.each([
    ["512M", 512 * 1024 ** 2],
    ["1g", 1024 ** 3],
    ["1.5GB", 1.5 * 1024 ** 3],
    ["1024", 1024],
    ["64MiB", 64 * 1024 ** 2],
  ])("memory %s", (text, bytes) => expect(memoryFlagBytes("limit-memory", text)).toBe(bytes));
  it("refuses a size it cannot read", () =>
    expect(() => memoryFlagBytes("limit-memory", "lots")).toThrow(
      "--limit-memory lots: a size is like 512M",
    ));
});

describe("--secret / --config", () => {
  it("takes a bare name or the long form with an octal mode", () => {
    expect(parseReference("secret", "db_pass")).toEqual({ source: "db_pass" });
    expect(parseReference("secret", "source=db,target=pw,uid=100,gid=101,mode=0400")).toEqual({
      source: "db",
      target: "pw",
      uid: "100",
      gid: "101",
      mode: 0o400,
    });
    expect(() => parseReference("config", "target=x")).toThrow("source= is required");
  });
});

describe("flags end at the image, as docker's service create", () => {
  it("passes the task's own flags through to its command", () => {
    const flags = parseOptions(
      { usage: "u", options: CREATE_OPTIONS, schema: ServiceFlags, optionsEndAtFirstPositional: true },
      ["--name", "hello", "-e", "A=1", "--detach", "shoal-test/busybox:1", "sh", "-c", "echo hi; sleep 1"],
    ) as ServiceFlags & { args: string[] };
    expect(flags.args).toEqual(["shoal-test/busybox:1", "sh", "-c", "echo hi; sleep 1"]);
    expect(flags.env).toEqual(["A=1"]);
  });

  it("leaves an explicit -- alone", () => {
    expect(endOptionsAtFirstPositional(["-q", "--", "img", "-c"], CREATE_OPTIONS)).toEqual([
      "-q",
      "--",
      "img",
      "-c",
    ]);
  });
});

describe("service create flags → spec", () => {
  const parse = (argv: string[]) =>
    parseOptions({ usage: "u", options: CREATE_OPTIONS, schema: ServiceFlags }, argv) as ServiceFlags & {
      args: string[];
    };

  it("builds the spec a docker user means", () => {
    const flags = parse([
      "--replicas",
      "3",
      "-p",
      "8080:80",
      "-e",
      "A=1",
      "--constraint",
      "node.role==manager",
      "--limit-memory",
      "512M",
      "--limit-cpu",
      "0.5",
      "--restart-condition",
      "on-failure",
      "--restart-delay",
      "10s",
      "--update-parallelism",
      "2",
      "--update-order",
      "start-first",
      "--mount",
      "type=tmpfs,target=/cache",
      "--secret",
      "pw",
      "--health-cmd",
      "true",
      "--health-interval",
      "5s",
      "--stop-grace-period",
      "30s",
      "--placement-pref",
      "spread=node.labels.zone",
      "--replicas-max-per-node",
      "2",
      "--network",
      "backend",
      "--endpoint-mode",
      "dnsrr",
      "busybox",
      "sleep",
      "60",
    ]);
    expect(flags.args).toEqual(["busybox", "sleep", "60"]);
    const spec = applyServiceFlags(
      { name: "web", taskTemplate: { containerSpec: { image: "busybox" } } },
      flags,
      "create",
    );
    expect(spec.mode).toEqual({ replicated: { replicas: 3 } });
    expect(spec.endpointSpec).toEqual({
      mode: "dnsrr",
      ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" }],
    });
    const tt = spec.taskTemplate;
    expect(tt.containerSpec.env).toEqual(["A=1"]);
    expect(tt.containerSpec.mounts).toEqual([{ type: "tmpfs", target: "/cache", readOnly: false }]);
    expect(tt.containerSpec.secrets).toEqual([{ source: "pw" }]);
    expect(tt.containerSpec.healthcheck).toEqual({
      test: ["CMD-SHELL", "true"],
      intervalMs: 5_000,
      timeoutMs: 0,
      retries: 0,
      startPeriodMs: 0,
    });
    expect(tt.containerSpec.stopGracePeriodMs).toBe(30_000);
    expect(tt.resources?.limits).toEqual({ memoryBytes: 512 * 1024 ** 2, nanoCpus: 500_000_000 });
    expect(tt.restartPolicy).toEqual({ condition: "on-failure", delayMs: 10_000 });
    expect(tt.placement).toEqual({
      constraints: ["node.role==manager"],
      preferences: [{ spread: "node.labels.zone" }],
      maxReplicas: 2,
    });
    expect(tt.networks).toEqual([{ target: "backend", aliases: [] }]);
    expect(spec.updateConfig).toEqual({ parallelism: 2, order: "start-first" });
  });

  it("global mode refuses --replicas; a bad flag names itself", () => {
    expect(() =>
      applyServiceFlags(
        { name: "x", taskTemplate: { containerSpec: { image: "i" } } },
        parse(["--mode", "global", "--replicas", "2", "i"]),
        "create",
      ),
    ).toThrow("--replicas applies to replicated services only");
    expect(() => parse(["--mode", "both", "i"])).toThrow("--mode is replicated or global");
    expect(() => parse(["--no-such-flag", "i"])).toThrow(/Unknown option '--no-such-flag'/);
  });

  it("update edits lists with -add / -rm", () => {
    expect(editEnv(["A=1", "B=2"], ["B=3", "C=4"], ["A"])).toEqual(["B=3", "C=4"]);
  });
});

describe("global options", () => {
  it("reads -H before the command, docker style", () => {
    expect(splitGlobalOptions(["-H", "10.0.0.5:8080", "node", "ls"])).toEqual({
      host: "10.0.0.5:8080",
      rest: ["node", "ls"],
    });
    expect(splitGlobalOptions(["--host=http://m:1", "service", "ls", "-H", "x"]).rest).toEqual([
      "service",
      "ls",
      "-H",
      "x",
    ]);
  });
  it.each([
    ["127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["tcp://10.0.0.5:8080", "http://10.0.0.5:8080"],
    ["https://shoal.example:443/", "https://shoal.example"],
  ])("host %s", (text, origin) => expect(normalizeHost(text)).toBe(origin));
});

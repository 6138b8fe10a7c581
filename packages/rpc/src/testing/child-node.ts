/** The parent side of raft-node-process.ts: spawn with tsx, send commands, wait for events. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TlsMaterial } from "../tls/tls-material.ts";
import { eventually } from "./test-pki.ts";

const SCRIPT = fileURLToPath(new URL("./raft-node-process.ts", import.meta.url));

export interface ChildEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export class ChildNode {
  readonly events: ChildEvent[] = [];
  address = "";
  private readonly child: ChildProcessWithoutNullStreams;
  private exited = false;

  private constructor(
    readonly id: number,
    config: { listen: string; tls: TlsMaterial; clusterId: string },
  ) {
    this.child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
      env: { ...process.env, SHOAL_RPC_NODE: JSON.stringify({ id, ...config }) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffered = "";
    this.child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) this.events.push(JSON.parse(line) as ChildEvent);
    });
    this.child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[node ${id}] ${chunk}`));
    this.child.once("exit", () => {
      this.exited = true;
    });
  }

  static async start(
    id: number,
    config: { listen: string; tls: TlsMaterial; clusterId: string },
  ): Promise<ChildNode> {
    const node = new ChildNode(id, config);
    await eventually(
      () => node.events.some((e) => e.event === "ready") || node.exited,
      `node ${id} to start`,
      20_000,
    );
    const ready = node.events.find((e) => e.event === "ready");
    if (!ready) throw new Error(`node ${id} exited before it was ready`);
    node.address = ready.address as string;
    return node;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  command(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  received(from?: number): number[] {
    return this.events
      .filter((e) => e.event === "message" && (from === undefined || e.from === from))
      .map((e) => e.index as number);
  }

  /** Kills this child (by its own pid) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill(signal);
    await exited;
  }
}

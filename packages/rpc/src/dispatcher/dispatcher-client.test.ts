import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RpcError } from "../errors.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { createTestSwarm, nodeMaterial, recordingLogger } from "../testing/test-pki.ts";
import { TlsMaterialSource } from "../tls/tls-material.ts";
import { DispatcherClient } from "./dispatcher-client.ts";
import type { AssignmentsMessage } from "./dispatcher-schemas.ts";
import { addDispatcherService } from "./dispatcher-service.ts";

let server: RpcServer;
let worker: TlsMaterialSource;
let script: AssignmentsMessage[] = [];
let refuseWith: RpcError | undefined;

const task = (id: string) => ({
  action: "UPDATE" as const,
  kind: "TASK" as const,
  id,
  object_json: JSON.stringify({ id }),
});

beforeAll(async () => {
  const swarm = await createTestSwarm();
  worker = new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
  server = new RpcServer({
    listen: "127.0.0.1:0",
    tls: new TlsMaterialSource(await nodeMaterial(swarm, "manager1", "swarm-manager")),
    isRemoved: () => false,
    logger: recordingLogger(),
  });
  addDispatcherService(server, {
    session: async () => {},
    heartbeat: async () => ({ period_ms: 5_000 }),
    assignments: async (_request, _context, send) => {
      if (refuseWith) throw refuseWith;
      for (const m of script) await send(m);
    },
    updateTaskStatus: async () => {},
  });
  await server.start();
});
afterAll(() => server.stop());

async function collect(client: DispatcherClient): Promise<{ got: number[]; error?: string }> {
  const got: number[] = [];
  try {
    for await (const m of client.assignments("s")) got.push(m.results_in);
    return { got };
  } catch (err) {
    return { got, error: `${(err as { code: string }).code}: ${(err as Error).message}` };
  }
}

describe("assignments stream", () => {
  it("delivers a complete set, then consecutive incremental changes", async () => {
    script = [
      { type: "COMPLETE", applies_to: 0, results_in: 1, changes: [task("t1"), task("t2")] },
      {
        type: "INCREMENTAL",
        applies_to: 1,
        results_in: 2,
        changes: [{ action: "REMOVE", kind: "TASK", id: "t1", object_json: "" }],
      },
    ];
    const client = new DispatcherClient(server.address, worker);
    expect(await collect(client)).toEqual({ got: [1, 2] });
    client.close();
  });

  it("ends with the handler's status when the manager refuses the stream", async () => {
    refuseWith = new RpcError("PERMISSION_DENIED", "node worker1 was removed from the swarm");
    const client = new DispatcherClient(server.address, worker);
    const result = await Promise.race([
      collect(client),
      new Promise<{ got: number[]; error: string }>((resolve) =>
        setTimeout(() => resolve({ got: [], error: "no status within 5 s" }), 5_000),
      ),
    ]);
    refuseWith = undefined;
    client.close();
    expect(result.error).toMatch(/^PERMISSION_DENIED: .*node worker1 was removed from the swarm/);
  });

  it("stops with ABORTED on a sequence gap so the agent resyncs", async () => {
    script = [
      { type: "COMPLETE", applies_to: 0, results_in: 5, changes: [] },
      { type: "INCREMENTAL", applies_to: 6, results_in: 7, changes: [task("t3")] },
    ];
    const client = new DispatcherClient(server.address, worker);
    const result = await collect(client);
    client.close();
    expect(result.got).toEqual([5]);
    expect(result.error).toMatch(/^ABORTED: Assignments: sequence gap \(holding 5, message applies to 6\)/);
  });

  it("refuses an incremental message before any complete set", async () => {
    script = [{ type: "INCREMENTAL", applies_to: 3, results_in: 4, changes: [] }];
    const client = new DispatcherClient(server.address, worker);
    expect((await collect(client)).error).toMatch(/holding nothing/);
    client.close();
  });
});

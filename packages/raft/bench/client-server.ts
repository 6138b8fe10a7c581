/** The member's client endpoint: puts go through Raft (leader only), gets are linearizable reads. */
import net from "node:net";
import type { RaftDriver } from "../src/index.ts";
import { FrameDecoder } from "../src/transport/index.ts";
import {
  CLIENT_FRAME_BYTES_MAX,
  decodeRequest,
  encodeResponse,
  Op,
  type Request,
  type Response,
  Status,
} from "./client-protocol.ts";
import type { KvStateMachine } from "./kv-state-machine.ts";

export function serveClients(
  driver: RaftDriver<void>,
  kv: KvStateMachine,
  port: number,
): Promise<net.Server> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    const decoder = new FrameDecoder(CLIENT_FRAME_BYTES_MAX);
    // Replies finished in one event-loop turn leave in one write.
    let replies: Buffer[] = [];
    const reply = (r: Response) => {
      if (replies.length === 0) {
        setImmediate(() => {
          const out = replies.length === 1 ? (replies[0] as Buffer) : Buffer.concat(replies);
          replies = [];
          if (!socket.destroyed) socket.write(out);
        });
      }
      replies.push(encodeResponse(r));
    };
    socket.on("data", (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        let req: Request;
        try {
          req = decodeRequest(frame);
        } catch {
          socket.destroy();
          return;
        }
        handle(driver, kv, req).then(reply, (err: Error) =>
          reply({ id: req.id, status: Status.Failed, body: Buffer.from(err.message) }),
        );
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function handle(driver: RaftDriver<void>, kv: KvStateMachine, req: Request): Promise<Response> {
  const ok = (body: Buffer = Buffer.alloc(0)): Response => ({ id: req.id, status: Status.Ok, body });
  switch (req.op) {
    case Op.Put: {
      if (!driver.isLeader) {
        const body = Buffer.alloc(4);
        body.writeUInt32BE(driver.leader);
        return { id: req.id, status: Status.NotLeader, body };
      }
      await driver.propose(req.body);
      return ok();
    }
    case Op.Get: {
      await driver.read();
      const value = kv.data.get(req.body.toString());
      return ok(value ? Buffer.concat([Buffer.from([1]), value]) : Buffer.from([0]));
    }
    case Op.Status:
      return ok(
        Buffer.from(JSON.stringify({ id: driver.id, leader: driver.leader, applied: driver.appliedIndex })),
      );
  }
}

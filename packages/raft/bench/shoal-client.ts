/** A client connection to one benchmark member; requests may be pipelined. */
import net from "node:net";
import { FrameDecoder } from "../src/transport/index.ts";
import {
  CLIENT_FRAME_BYTES_MAX,
  decodeResponse,
  encodePut,
  encodeRequest,
  Op,
  type Response,
  Status,
} from "./client-protocol.ts";

export class ResponseError extends Error {
  constructor(
    readonly status: Status,
    readonly leader: number,
    message: string,
  ) {
    super(message);
  }
}

export class ShoalClient {
  private readonly waiting = new Map<
    number,
    { resolve: (r: Response) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  private constructor(private readonly socket: net.Socket) {
    const decoder = new FrameDecoder(CLIENT_FRAME_BYTES_MAX);
    socket.on("data", (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const r = decodeResponse(frame);
        const w = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        w?.resolve(r);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      const err = new Error("connection closed");
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    });
  }

  static connect(port: number): Promise<ShoalClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new ShoalClient(socket));
      });
      socket.once("error", reject);
    });
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    check(await this.request(Op.Put, encodePut(key, value)));
  }

  /** Linearizable get; undefined when the key is absent. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const r = check(await this.request(Op.Get, Buffer.from(key)));
    return r.body[0] === 1 ? r.body.subarray(1) : undefined;
  }

  async status(): Promise<{ id: number; leader: number; applied: number }> {
    return JSON.parse(check(await this.request(Op.Status, Buffer.alloc(0))).body.toString());
  }

  close(): void {
    this.socket.destroy();
  }

  private request(op: Op, body: Buffer): Promise<Response> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(encodeRequest({ op, id, body }));
    });
  }
}

function check(r: Response): Response {
  if (r.status === Status.Ok) return r;
  if (r.status === Status.NotLeader)
    throw new ResponseError(r.status, r.body.readUInt32BE(0), "not the leader");
  throw new ResponseError(r.status, 0, r.body.toString());
}

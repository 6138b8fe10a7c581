import { describe, expect, it } from "vitest";
import { RaftError } from "../errors.ts";
import { encodeFrames, FrameDecoder } from "./frame.ts";

const payloads = [Uint8Array.from([1]), Uint8Array.from([2, 2]), new Uint8Array(300).fill(3)];
const stream = encodeFrames(payloads, 303);

describe("FrameDecoder", () => {
  it.each([1, 2, 3, 5, 7, 64, stream.length])("reassembles frames split into %i-byte chunks", (size) => {
    const d = new FrameDecoder(1024);
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) frames.push(...d.push(stream.subarray(i, i + size)));
    expect(frames.map((f) => [...f])).toEqual(payloads.map((p) => [...p]));
  });

  it("refuses a frame over the limit from its header alone", () => {
    const d = new FrameDecoder(299);
    d.push(stream.subarray(0, 12));
    expect(() => d.push(stream.subarray(12, 16))).toThrow(RaftError);
  });

  it("refuses an empty frame", () => {
    expect(() => new FrameDecoder(10).push(Buffer.alloc(4))).toThrow(/empty frame/);
  });
});

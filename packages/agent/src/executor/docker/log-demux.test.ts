import { describe, expect, it } from "vitest";
import { LogDemuxer } from "./log-demux.ts";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("LogDemuxer", () => {
  it("splits frames into lines per stream, across chunk boundaries", () => {
    const bytes = Buffer.concat([frame(1, "one\ntw"), frame(2, "err\n"), frame(1, "o\nthree")]);
    const d = new LogDemuxer();
    const out = [
      ...d.push(bytes.subarray(0, 5)),
      ...d.push(bytes.subarray(5, 17)),
      ...d.push(bytes.subarray(17)),
    ];
    expect(out).toEqual([
      { stream: "stdout", line: "one" },
      { stream: "stderr", line: "err" },
      { stream: "stdout", line: "two" },
    ]);
    expect(d.end()).toEqual([{ stream: "stdout", line: "three" }]);
  });
});

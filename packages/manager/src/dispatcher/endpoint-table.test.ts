import { describe, expect, it } from "vitest";
import { endpointsDiff } from "./endpoint-table.ts";

describe("endpoint table diff", () => {
  it("sends everything first, then only changed and removed services, nothing when equal", () => {
    const first = new Map([
      ["a", '{"serviceId":"a","n":1}'],
      ["b", '{"serviceId":"b"}'],
    ]);
    expect(endpointsDiff(first, undefined)).toEqual({
      type: "COMPLETE",
      services_json: ['{"serviceId":"a","n":1}', '{"serviceId":"b"}'],
      removed_service_ids: [],
    });
    expect(endpointsDiff(first, new Map(first))).toBeUndefined();
    const next = new Map([
      ["a", '{"serviceId":"a","n":2}'],
      ["c", '{"serviceId":"c"}'],
    ]);
    expect(endpointsDiff(next, new Map(first))).toEqual({
      type: "INCREMENTAL",
      services_json: ['{"serviceId":"a","n":2}', '{"serviceId":"c"}'],
      removed_service_ids: ["b"],
    });
  });
});

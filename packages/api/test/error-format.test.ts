import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ApiContext } from "../src/api-context.ts";
import { createApiServices } from "../src/api-services.ts";
import { appRouter } from "../src/root.ts";
import { createRequestContext } from "../src/trpc.ts";
import { ApiHarness } from "./api-harness.ts";

let h: ApiHarness;
let admin: string;
beforeEach(async () => {
  h = await ApiHarness.create();
  admin = await h.setUp();
});
afterEach(async () => {
  await h.close();
});

/** One HTTP request through tRPC's fetch adapter, as the node's server would make it. */
async function request(path: string, init: { body?: unknown; cookie?: string; api?: ApiContext } = {}) {
  const services = init.api === undefined ? h.services : createApiServices(init.api);
  const internal: unknown[] = [];
  const req = new Request(`http://127.0.0.1/api/trpc/${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      "content-type": "application/json",
      ...(init.cookie === undefined ? {} : { cookie: init.cookie }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () =>
      createRequestContext(services, {
        credentials: { cookie: req.headers.get("cookie") ?? undefined },
        ip: "127.0.0.1",
        setCookie: () => {},
        onInternalError: (e) => internal.push(e),
      }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), internal };
}

describe("errors over HTTP", () => {
  it("carry an HTTP status, a Shoal code and an actionable message, and never a stack trace", async () => {
    const r = await request("services.list");
    expect(r.status).toBe(401);
    expect(r.body.error.data).toMatchObject({ shoalCode: "unauthenticated", httpStatus: 401 });
    expect(r.body.error.message).toMatch(/log in/);
    expect(r.text).not.toMatch(/stack|\.ts:\d+/);
  });

  it("turn bad input into a list of the fields to fix", async () => {
    const r = await request("services.scale", { body: { service: "web", replicas: -1 }, cookie: admin });
    expect(r.status).toBe(400);
    expect(r.body.error.data.shoalCode).toBe("invalid-argument");
    expect(r.body.error.message).toMatch(/^invalid input: replicas: .+fix these fields/);
  });

  it("hide unexpected failures behind 'internal' and hand them to the server's log hook", async () => {
    const api: ApiContext = {
      ...h.api,
      control: async () => {
        throw new Error("disk on fire at /var/lib/shoal");
      },
    };
    const r = await request("services.scale", { body: { service: "web", replicas: 1 }, cookie: admin, api });
    expect(r.status).toBe(500);
    expect(r.body.error.data.shoalCode).toBe("internal");
    expect(r.text).not.toMatch(/disk on fire|stack/);
    expect(r.internal).toHaveLength(1);
  });
});

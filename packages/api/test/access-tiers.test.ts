import { makeNode } from "@shoal/store/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiHarness, failure, SERVICE_SPEC } from "./api-harness.ts";

let h: ApiHarness;
beforeEach(async () => {
  h = await ApiHarness.create();
});
afterEach(async () => {
  await h.close();
});

describe("before the first user exists", () => {
  it("only auth.setup (and auth.status) answer; everything else says to set up", async () => {
    expect(await h.caller().auth.status()).toEqual({ setupRequired: true });
    const e = await failure(h.caller().services.list());
    expect(e).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(e.message).toMatch(/auth\.setup/);
    expect(await failure(h.caller().auth.login({ name: "root", password: "x" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });

  it("auth.setup works once: the first user is an admin, a second setup is refused", async () => {
    const admin = await h.caller().auth.setup({ name: "root", password: "correct horse" });
    expect(admin.spec).toEqual({ name: "root", role: "admin", disabled: false });
    expect(admin).not.toHaveProperty("passwordHash");
    const again = await failure(h.caller().auth.setup({ name: "mallory", password: "correct horse" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/already set up/);
    expect(h.store.view((v) => v.users.count())).toBe(1);
  });

  it("two setups racing: the store lets only one through", async () => {
    const results = await Promise.allSettled([
      h.caller().auth.setup({ name: "a-admin", password: "correct horse" }),
      h.caller().auth.setup({ name: "b-admin", password: "correct horse" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(h.store.view((v) => v.users.count())).toBe(1);
  });
});

describe("procedure tiers", () => {
  let admin: string;
  beforeEach(async () => {
    admin = await h.setUp();
  });

  it("no credentials: refused with a message saying how to authenticate", async () => {
    const e = await failure(h.caller().services.list());
    expect(e.code).toBe("UNAUTHORIZED");
    expect(e.message).toMatch(/log in|API token/);
  });

  it("viewer reads but cannot mutate", async () => {
    const viewer = await h.userWithToken(admin, "vera", "viewer");
    expect((await h.caller({ token: viewer }).services.list()).items).toEqual([]);
    const e = await failure(h.caller({ token: viewer }).services.create({ spec: SERVICE_SPEC }));
    expect(e.code).toBe("FORBIDDEN");
    expect(e.message).toMatch(/services\.create needs the operator role/);
    expect(await failure(h.caller({ token: viewer }).history.audit())).toMatchObject({ code: "FORBIDDEN" });
  });

  it("operator runs workloads but cannot manage users, swarm settings or join tokens", async () => {
    const operator = await h.userWithToken(admin, "otto", "operator");
    const op = h.caller({ token: operator });
    const service = await op.services.create({ spec: SERVICE_SPEC });
    expect(service.spec.name).toBe("web");
    expect((await op.services.scale({ service: "web", replicas: 3 })).spec.mode).toEqual({
      replicated: { replicas: 3 },
    });
    for (const call of [
      op.users.create({ name: "eve", role: "admin", password: "long enough" }),
      op.users.list(),
      op.swarm.update({ taskHistoryRetentionLimit: 2 }),
      op.swarm.joinToken({ role: "manager" }),
    ]) {
      expect(await failure(call)).toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("admin manages users, the swarm and join tokens (rotate gives a new token)", async () => {
    const a = h.caller({ cookie: admin });
    await a.users.create({ name: "olga", role: "operator", password: "long enough" });
    expect((await a.users.list()).map((u) => u.spec.name)).toEqual(["olga", "root"]);
    expect((await a.swarm.update({ taskHistoryRetentionLimit: 2 })).spec.orchestration).toEqual({
      taskHistoryRetentionLimit: 2,
    });
    const before = await a.swarm.joinToken({ role: "worker" });
    const rotated = await a.swarm.rotateJoinToken({ role: "worker" });
    expect(rotated.token).not.toBe(before.token);
    expect(rotated.token.slice(0, 60)).toBe(before.token.slice(0, 60)); // same CA digest
    expect((await a.swarm.joinToken({ role: "worker" })).token).toBe(rotated.token);
    expect(JSON.stringify(await a.swarm.inspect())).not.toMatch(/test key/);
  });

  it("node role changes need admin; availability needs operator", async () => {
    await h.store.update((tx) => tx.create("node", makeNode("n000000000000000000000001", "worker-1")));
    const operator = h.caller({ token: await h.userWithToken(admin, "otto", "operator") });
    expect((await operator.nodes.update({ node: "worker-1", availability: "drain" })).spec.availability).toBe(
      "drain",
    );
    expect(await failure(operator.nodes.setRole({ node: "worker-1", role: "manager" }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("the last admin cannot be demoted or removed", async () => {
    const a = h.caller({ cookie: admin });
    const e = await failure(a.users.update({ user: "root", role: "viewer" }));
    expect(e).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(e.message).toMatch(/last active admin/);
    expect(await failure(a.users.remove({ user: "root" }))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("control errors keep their code and message", async () => {
    const operator = h.caller({ token: await h.userWithToken(admin, "otto", "operator") });
    await operator.services.create({ spec: SERVICE_SPEC });
    const e = await failure(operator.services.create({ spec: SERVICE_SPEC }));
    expect(e).toMatchObject({ code: "CONFLICT" });
    expect(e.message).toMatch(/already exists: choose another name/);
    expect(await failure(operator.services.inspect({ service: "nope" }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOGIN_FAILURES_MAX, LOGIN_WINDOW_MS } from "../src/auth/login-rate-limiter.ts";
import { ApiHarness, failure } from "./api-harness.ts";

let h: ApiHarness;
let admin: string;
beforeEach(async () => {
  h = await ApiHarness.create();
  admin = await h.setUp();
});
afterEach(async () => {
  await h.close();
});

describe("API tokens", () => {
  it("are stored hashed, shown once, and act with the lower of their role and the user's", async () => {
    const a = h.caller({ cookie: admin });
    const { token, secret } = await a.tokens.create({ name: "ci", role: "viewer" });
    expect(secret).toMatch(/^shoal_/);
    const stored = h.store.view((v) => v.apiTokens.get(token.id));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await h.caller({ token: secret }).auth.me()).toMatchObject({
      userName: "root",
      role: "viewer",
      via: "token",
    });
  });

  it("a revoked token is refused (the revocation is in the replicated store)", async () => {
    const operator = await h.userWithToken(admin, "otto", "operator");
    expect((await h.caller({ token: operator }).nodes.list()).items).toEqual([]);
    await h.caller({ cookie: admin }).tokens.revoke({ token: "t", user: "otto" });
    const e = await failure(h.caller({ token: operator }).nodes.list());
    expect(e.code).toBe("UNAUTHORIZED");
    expect(e.message).toMatch(/not valid \(revoked/);
  });

  it("a token cannot have more than its creator's role; only admins manage other users' tokens", async () => {
    const viewer = h.caller({ token: await h.userWithToken(admin, "vera", "viewer") });
    expect(await failure(viewer.tokens.create({ name: "x", role: "admin" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(viewer.tokens.list({ user: "root" }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("expired tokens and a garbled Authorization header are refused", async () => {
    const { secret } = await h.caller({ cookie: admin }).tokens.create({ name: "short", ttlMs: 60_000 });
    h.clock.now += 60_001;
    expect((await failure(h.caller({ token: secret }).nodes.list())).message).toMatch(/expired/);
    expect(await failure(h.caller({ token: "shoal_nonsense" }).nodes.list())).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("a disabled user's tokens stop working", async () => {
    const token = await h.userWithToken(admin, "otto", "operator");
    await h.caller({ cookie: admin }).users.update({ user: "otto", disabled: true });
    expect((await failure(h.caller({ token }).nodes.list())).message).toMatch(/disabled/);
  });
});

describe("sessions", () => {
  it("a login sets an HttpOnly signed cookie that authenticates; tampering or a password change ends it", async () => {
    expect(h.cookies.at(-1)).toMatch(/^shoal_session=.+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    expect(await h.caller({ cookie: admin }).auth.me()).toMatchObject({ userName: "root", via: "session" });
    const tampered = `${admin.slice(0, -2)}xx`;
    expect(await failure(h.caller({ cookie: tampered }).auth.me())).toMatchObject({ code: "UNAUTHORIZED" });
    await h.caller({ cookie: admin }).users.update({ user: "root", password: "a new password" });
    expect((await failure(h.caller({ cookie: admin }).auth.me())).message).toMatch(/log in again/);
  });

  it("expires after its lifetime", async () => {
    h.clock.now += 12 * 3600 * 1_000 + 1;
    expect(await failure(h.caller({ cookie: admin }).auth.me())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("login rate limit", () => {
  it(`refuses a user+address after ${LOGIN_FAILURES_MAX} failures until the window passes; other addresses still try`, async () => {
    for (let i = 0; i < LOGIN_FAILURES_MAX; i++) {
      expect(await failure(h.caller().auth.login({ name: "root", password: "wrong" }))).toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    const limited = await failure(h.caller().auth.login({ name: "root", password: "correct horse" }));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/try again in 300 s/);
    await h.caller({}, "10.0.0.9").auth.login({ name: "root", password: "correct horse" });
    h.clock.now += LOGIN_WINDOW_MS;
    await h.caller().auth.login({ name: "root", password: "correct horse" });
  });
});

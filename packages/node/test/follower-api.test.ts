/**
 * Two manager processes, each serving the HTTP API, driven only through it: users, logins and API
 * tokens work through either manager (a follower forwards the write to the leader and answers
 * once its own replica shows it, so the caller reads its write there at once); the audit
 * entry of a write made through the follower names its user on both managers; then `swarm.leave`
 * (refused for a manager without force, with Docker's quorum message; an admin's credentials
 * needed) and `swarm.init { forceNewCluster }` on the manager left without quorum.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiCredentials, apiMutate, apiQuery, login } from "./api-call.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";

interface Status {
  swarm: string;
  isManager: boolean;
  isLeader: boolean;
  setupRequired: boolean;
}
interface AuditRow {
  actor: string;
  action: string;
  target: string;
}

const ADMIN = { name: "admin", password: "admin-password" };
const ALICE = { name: "alice", password: "alice-password" };
const BOB = { name: "bob", password: "bob-password" };

describe("the API on a leader and a follower", () => {
  let root: string;
  const daemons: DaemonProcess[] = [];
  let leader: DaemonProcess;
  let follower: DaemonProcess;
  let admin: ApiCredentials;

  const status = (d: DaemonProcess) => apiQuery<Status>(d.apiUrl!, "swarm.status");
  const loginOn = (d: DaemonProcess, user: { name: string; password: string }) =>
    login(d.apiUrl!, user.name, user.password);
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-follower-api-"));
    const [a, b] = await Promise.all([
      DaemonProcess.start(root, "m1", { api: true }),
      DaemonProcess.start(root, "m2", { api: true }),
    ]);
    daemons.push(a!, b!);
    await apiMutate(a!.apiUrl!, "swarm.init", { advertiseAddr: a!.addr, admin: ADMIN });
    admin = await loginOn(a!, ADMIN);
    const { token } = await apiQuery<{ token: string }>(
      a!.apiUrl!,
      "swarm.joinToken",
      { role: "manager" },
      admin,
    );
    await apiMutate(b!.apiUrl!, "swarm.join", { token, remoteAddr: a!.addr });
    await eventually(async () => {
      const s = await status(b!);
      return s.isManager && !s.setupRequired;
    }, "the second manager to serve the API with the swarm's users");
    const leading = await eventually(async () => {
      for (const d of [a!, b!]) if ((await status(d)).isLeader) return d;
      return undefined;
    }, "a leader");
    leader = leading;
    follower = leading === a ? b! : a!;
  }, 90_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await rm(root, { recursive: true, force: true });
  });

  it("creates users through either manager and logs them in on the other", async () => {
    const onFollower = await loginOn(follower, ADMIN);
    await apiMutate(follower.apiUrl!, "users.create", { ...ALICE, role: "operator" }, onFollower);
    // The follower answers once its own replica shows the write: alice logs in there at once.
    await loginOn(follower, ALICE);
    const alice = await loginOn(leader, ALICE);
    expect(await apiQuery(leader.apiUrl!, "auth.me", undefined, alice)).toMatchObject({
      userName: "alice",
      role: "operator",
    });
    await apiMutate(leader.apiUrl!, "users.create", { ...BOB, role: "viewer" }, admin);
    const bob = await eventually(() => loginOn(follower, BOB), "bob's login on the follower");
    expect(await apiQuery(follower.apiUrl!, "auth.me", undefined, bob)).toMatchObject({ userName: "bob" });
    // The leader's session cookie is good on the follower too (one session key for the swarm).
    expect(await apiQuery(follower.apiUrl!, "auth.me", undefined, admin)).toMatchObject({
      userName: "admin",
    });
  }, 30_000);

  it("refuses on the leader a token revoked through the follower", async () => {
    const alice = await loginOn(follower, ALICE);
    const { secret } = await apiMutate<{ secret: string }>(
      follower.apiUrl!,
      "tokens.create",
      { name: "ci" },
      alice,
    );
    const viaToken = { token: secret };
    expect(await apiQuery(leader.apiUrl!, "auth.me", undefined, viaToken)).toMatchObject({
      userName: "alice",
      via: "token",
    });
    await apiMutate(follower.apiUrl!, "tokens.revoke", { token: "ci" }, alice);
    await expect(apiQuery(follower.apiUrl!, "auth.me", undefined, viaToken)).rejects.toMatchObject({
      code: "unauthenticated",
    });
    const refused = await refusal(apiQuery(leader.apiUrl!, "auth.me", undefined, viaToken));
    expect(refused).toMatchObject({ code: "unauthenticated", status: 401 });
    expect(refused?.message).toMatch(/not valid \(revoked, or mistyped\)/);
  }, 30_000);

  it("records the follower's caller with a forwarded write, in the audit log of every manager", async () => {
    const alice = await loginOn(follower, ALICE);
    await apiMutate(follower.apiUrl!, "networks.create", { name: "audited" }, alice);
    for (const d of [leader, follower]) {
      const rows = await eventually(async () => {
        const audit = await apiQuery<AuditRow[]>(d.apiUrl!, "history.audit", { actor: "user:alice" }, admin);
        return audit.some((r) => r.action === "network.create") ? audit : undefined;
      }, `the network.create audit entry on ${d.name}`);
      expect(rows.find((r) => r.action === "network.create")).toMatchObject({
        actor: "user:alice",
        target: expect.stringContaining("audited"),
      });
      // The token calls of the previous test went through the follower too.
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["token.create", "token.revoke"]));
    }
  }, 30_000);

  it("lets a manager leave only with an admin's credentials and --force", async () => {
    const anonymous = await refusal(apiMutate(follower.apiUrl!, "swarm.leave", {}));
    expect(anonymous).toMatchObject({ code: "unauthenticated" });
    const operator = await refusal(
      apiMutate(follower.apiUrl!, "swarm.leave", { force: true }, await loginOn(follower, ALICE)),
    );
    expect(operator).toMatchObject({ code: "forbidden" });
    const unforced = await refusal(apiMutate(follower.apiUrl!, "swarm.leave", {}, admin));
    expect(unforced).toMatchObject({ code: "invalid-argument" });
    expect(unforced?.message).toBe(
      "You are attempting to leave the swarm on a node that is participating as a manager. " +
        "Removing this node leaves 1 managers out of 2. Without a Raft quorum your swarm will be inaccessible. " +
        "The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. " +
        "Use `--force` to suppress this message.",
    );
    expect(await apiMutate(follower.apiUrl!, "swarm.leave", { force: true }, admin)).toEqual({ left: true });
    expect(await status(follower)).toMatchObject({ swarm: "inactive", isManager: false });
    // The node is in no swarm now: nothing to leave, and swarm.init is open again.
    const again = await refusal(apiMutate(follower.apiUrl!, "swarm.leave", { force: true }));
    expect(again?.message).toMatch(/not part of a swarm/);
  }, 30_000);

  it("recovers the manager left without quorum with force-new-cluster, keeping users", async () => {
    await eventually(async () => !(await status(leader)).isLeader, "the remaining manager to lose quorum");
    const anonymous = await refusal(apiMutate(leader.apiUrl!, "swarm.init", { forceNewCluster: true }));
    expect(anonymous).toMatchObject({ code: "unauthenticated" });
    const recovered = await apiMutate<{ adminCreated: boolean }>(
      leader.apiUrl!,
      "swarm.init",
      { forceNewCluster: true },
      admin,
    );
    expect(recovered).toMatchObject({ adminCreated: false });
    expect(await status(leader)).toMatchObject({ isLeader: true });
    const alice = await loginOn(leader, ALICE);
    await apiMutate(leader.apiUrl!, "networks.create", { name: "after-recovery" }, alice);
    const networks = await apiQuery<{ items: { spec: { name: string } }[] }>(
      leader.apiUrl!,
      "networks.list",
      undefined,
      alice,
    );
    expect(networks.items.map((n) => n.spec.name)).toEqual(
      expect.arrayContaining(["audited", "after-recovery"]),
    );
  }, 60_000);
});

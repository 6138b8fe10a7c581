import { type ControlContext, ControlError, parseInput, write } from "@shoal/manager";
import type { ReadView, User, WriteTx } from "@shoal/store";
import type { z } from "zod";
import {
  type ApiTokenView,
  CreateTokenControlInput,
  CreateUserControlInput,
  RemoveUserInput,
  RevokeTokenControlInput,
  SetupControlInput,
  UpdateUserControlInput,
  type UserView,
} from "./access-schemas.ts";

/**
 * The session key's fixed id: creating it twice fails in the store, which makes auth.setup a
 * one-time operation even when two managers take it at once.
 */
export const SESSION_KEY_ID = "sessionkey000000000000000";

type Reader = ReadView | WriteTx;

/** The first user (an admin) and the session key, in one transaction; refused once any user exists. */
export async function setupFirstUser(
  ctx: ControlContext,
  input: z.input<typeof SetupControlInput>,
): Promise<UserView> {
  const p = parseInput(SetupControlInput, input, "setup");
  const id = await write(ctx, "set up the first user", (tx) => {
    if (tx.users.count() > 0 || tx.sessionKeys.get(SESSION_KEY_ID) !== undefined) throw alreadySetUp();
    tx.create("sessionKey", { id: SESSION_KEY_ID, spec: { keyBase64: p.sessionKeyBase64 } });
    return tx.create("user", {
      spec: { name: p.name, role: "admin", disabled: false },
      passwordHash: p.passwordHash,
    });
  }).catch((error) => {
    throw error instanceof ControlError && error.code === "failed-precondition" ? alreadySetUp() : error;
  });
  return userView(ctx.store.view((v) => findUser(v, id)));
}

export async function createUser(
  ctx: ControlContext,
  input: z.input<typeof CreateUserControlInput>,
): Promise<UserView> {
  const p = parseInput(CreateUserControlInput, input, "user");
  const id = await write(ctx, `create user "${p.name}"`, (tx) => {
    if (tx.users.byName(p.name) !== undefined) {
      throw new ControlError(
        "already-exists",
        `user "${p.name}" already exists: choose another name or update it`,
      );
    }
    return tx.create("user", {
      spec: { name: p.name, role: p.role, disabled: false },
      passwordHash: p.passwordHash,
    });
  });
  return userView(ctx.store.view((v) => findUser(v, id)));
}

/** Changes role, disabled or password; the last active admin cannot lose admin. */
export async function updateUser(
  ctx: ControlContext,
  input: z.input<typeof UpdateUserControlInput>,
): Promise<UserView> {
  const p = parseInput(UpdateUserControlInput, input, "user update");
  const id = await write(ctx, `update user "${p.user}"`, (tx) => {
    const user = findUser(tx, p.user);
    if (p.version !== undefined && p.version !== user.version) {
      throw new ControlError(
        "conflict",
        `user "${user.spec.name}" changed since you read it: read it again and retry`,
      );
    }
    const spec = { ...user.spec, role: p.role ?? user.spec.role, disabled: p.disabled ?? user.spec.disabled };
    if (isActiveAdmin(user) && !(spec.role === "admin" && !spec.disabled)) checkAnotherAdmin(tx, user);
    tx.update("user", { ...user, spec, passwordHash: p.passwordHash ?? user.passwordHash });
    return user.id;
  });
  return userView(ctx.store.view((v) => findUser(v, id)));
}

/** Removes a user and their tokens; the last active admin cannot be removed. */
export async function removeUser(ctx: ControlContext, input: z.input<typeof RemoveUserInput>): Promise<void> {
  const p = parseInput(RemoveUserInput, input, "user rm");
  await write(ctx, `remove user "${p.user}"`, (tx) => {
    const user = findUser(tx, p.user);
    if (isActiveAdmin(user)) checkAnotherAdmin(tx, user);
    for (const token of tx.apiTokens.byUser(user.id)) tx.delete("apiToken", token);
    tx.delete("user", user);
  });
}

export async function createApiToken(
  ctx: ControlContext,
  input: z.input<typeof CreateTokenControlInput>,
): Promise<ApiTokenView> {
  const p = parseInput(CreateTokenControlInput, input, "API token");
  const id = await write(ctx, `create API token "${p.name}"`, (tx) => {
    const user = findUser(tx, p.userId);
    if (tx.apiTokens.byName(user.id, p.name) !== undefined) {
      throw new ControlError(
        "already-exists",
        `user "${user.spec.name}" already has a token "${p.name}": choose another name`,
      );
    }
    const spec = {
      name: p.name,
      userId: user.id,
      role: p.role,
      ...(p.expiresAtMs === undefined ? {} : { expiresAtMs: p.expiresAtMs }),
    };
    return tx.create("apiToken", { spec, tokenHash: p.tokenHash, prefix: p.prefix });
  });
  const token = ctx.store.view((v) => v.apiTokens.get(id));
  if (token === undefined) throw new ControlError("not-found", "the token was revoked meanwhile");
  const { tokenHash: _hash, ...view } = token;
  return view;
}

/** Deletes the token: every manager refuses it once the deletion is applied. */
export async function revokeApiToken(
  ctx: ControlContext,
  input: z.input<typeof RevokeTokenControlInput>,
): Promise<void> {
  const p = parseInput(RevokeTokenControlInput, input, "token revoke");
  await write(ctx, `revoke API token ${p.tokenId}`, (tx) => {
    const token = tx.apiTokens.get(p.tokenId);
    if (token === undefined)
      throw new ControlError("not-found", `no API token ${p.tokenId}: list tokens to see what exists`);
    tx.delete("apiToken", token);
  });
}

/** A user by name or id. */
export function findUser(v: Reader, ref: string): User {
  const user = v.users.get(ref) ?? v.users.byName(ref);
  if (user === undefined)
    throw new ControlError("not-found", `no user "${ref}": list users to see who exists`);
  return user;
}

export function userView(user: User): UserView {
  const { passwordHash: _hash, ...view } = user;
  return view;
}

function isActiveAdmin(user: User): boolean {
  return user.spec.role === "admin" && !user.spec.disabled;
}

function checkAnotherAdmin(tx: WriteTx, user: User): void {
  if (!tx.users.all().some((u) => u.id !== user.id && isActiveAdmin(u))) {
    throw new ControlError(
      "failed-precondition",
      `user "${user.spec.name}" is the last active admin: make another user admin first`,
    );
  }
}

function alreadySetUp(): ControlError {
  return new ControlError(
    "failed-precondition",
    "this cluster is already set up: log in, or ask an admin for an account",
  );
}

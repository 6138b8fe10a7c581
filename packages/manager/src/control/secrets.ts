import type { SecretSummary } from "@shoal/store";
import { Base64Data, Labels, ObjectName } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { findSecret } from "./resolve.ts";

export const CreateSecretInput = z.object({
  name: ObjectName,
  labels: Labels.default({}),
  /** The payload, base64 (at most 500 KiB decoded). Never returned by any call. */
  data: Base64Data,
});
export type CreateSecretInput = z.input<typeof CreateSecretInput>;
export const SecretRefInput = z.object({ secret: z.string().min(1, "name the secret (name or id)") });

/** Creates a secret; returns it without its data. */
export async function createSecret(ctx: ControlContext, input: CreateSecretInput): Promise<SecretSummary> {
  const p = parseInput(CreateSecretInput, input, "secret");
  const id = await write(ctx, `create secret "${p.name}"`, (tx) => {
    if (tx.secrets.byName(p.name) !== undefined) {
      throw new ControlError(
        "already-exists",
        `secret "${p.name}" already exists: choose another name (secrets cannot be changed, make a new one)`,
      );
    }
    return tx.create("secret", { spec: { name: p.name, labels: p.labels, data: p.data } });
  });
  return ctx.store.view((v) => findSecret(v, id));
}

/** A secret's metadata; the payload is never returned. */
export async function inspectSecret(
  ctx: ControlContext,
  input: z.input<typeof SecretRefInput>,
): Promise<SecretSummary> {
  const { secret } = parseInput(SecretRefInput, input, "secret inspect");
  return ctx.store.view((v) => findSecret(v, secret));
}

export async function listSecrets(ctx: ControlContext): Promise<SecretSummary[]> {
  return ctx.store.view((v) => v.secrets.all()).sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/** Removes a secret no service uses. */
export async function removeSecret(
  ctx: ControlContext,
  input: z.input<typeof SecretRefInput>,
): Promise<void> {
  const { secret } = parseInput(SecretRefInput, input, "secret rm");
  await write(ctx, `remove secret "${secret}"`, (tx) => {
    const found = findSecret(tx, secret);
    const user = tx.services
      .all()
      .find((s) => s.spec.taskTemplate.containerSpec.secrets.some((r) => r.secretId === found.id));
    if (user !== undefined) {
      throw new ControlError(
        "failed-precondition",
        `secret "${found.spec.name}" is used by service "${user.spec.name}": remove it from the service first`,
      );
    }
    tx.delete("secret", found);
  });
}

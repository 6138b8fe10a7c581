import type { Config } from "@shoal/store";
import { Base64Data, Labels, ObjectName } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { findConfig } from "./resolve.ts";

export const CreateConfigInput = z.object({
  name: ObjectName,
  labels: Labels.default({}),
  /** The payload, base64 (at most 500 KiB decoded). Configs are not secret: inspect shows it. */
  data: Base64Data,
});
export type CreateConfigInput = z.input<typeof CreateConfigInput>;
export const ConfigRefInput = z.object({ config: z.string().min(1, "name the config (name or id)") });

/** Creates a config. */
export async function createConfig(ctx: ControlContext, input: CreateConfigInput): Promise<Config> {
  const p = parseInput(CreateConfigInput, input, "config");
  const id = await write(ctx, `create config "${p.name}"`, (tx) => {
    if (tx.configs.byName(p.name) !== undefined) {
      throw new ControlError(
        "already-exists",
        `config "${p.name}" already exists: choose another name (configs cannot be changed, make a new one)`,
      );
    }
    return tx.create("config", { spec: { name: p.name, labels: p.labels, data: p.data } });
  });
  return ctx.store.view((v) => findConfig(v, id));
}

/** A config, data included. */
export async function inspectConfig(
  ctx: ControlContext,
  input: z.input<typeof ConfigRefInput>,
): Promise<Config> {
  const { config } = parseInput(ConfigRefInput, input, "config inspect");
  return ctx.store.view((v) => findConfig(v, config));
}

export async function listConfigs(ctx: ControlContext): Promise<Config[]> {
  return ctx.store.view((v) => v.configs.all()).sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/** Removes a config no service uses. */
export async function removeConfig(
  ctx: ControlContext,
  input: z.input<typeof ConfigRefInput>,
): Promise<void> {
  const { config } = parseInput(ConfigRefInput, input, "config rm");
  await write(ctx, `remove config "${config}"`, (tx) => {
    const found = findConfig(tx, config);
    const user = tx.services
      .all()
      .find((s) => s.spec.taskTemplate.containerSpec.configs.some((r) => r.configId === found.id));
    if (user !== undefined) {
      throw new ControlError(
        "failed-precondition",
        `config "${found.spec.name}" is used by service "${user.spec.name}": remove it from the service first`,
      );
    }
    tx.delete("config", found);
  });
}

import type { Service, UpdateConfig } from "@shoal/store";
import { TaskState } from "@shoal/store";
import type { Harness } from "../testing/harness.ts";

/** Test helper: starts a service of `replicas` tasks on two nodes and lets it run. */
export async function runningService(
  h: Harness,
  replicas: number,
  update: Partial<UpdateConfig> = {},
): Promise<string> {
  await h.addNode({ hostname: "a" });
  await h.addNode({ hostname: "b" });
  h.start();
  const id = await h.createService("web", (s) => ({
    ...s,
    mode: { replicated: { replicas } },
    updateConfig: { ...s.updateConfig, ...update },
    rollbackConfig: { ...s.rollbackConfig, ...update, failureAction: "pause" },
    taskTemplate: { ...s.taskTemplate, restartPolicy: { ...s.taskTemplate.restartPolicy, delayMs: 0 } },
  }));
  await h.converge();
  return id;
}

/** Test helper: what the control API's service update does: new image, previous spec kept. */
export async function deployImage(h: Harness, id: string, image: string): Promise<void> {
  await h.updateService(id, (s) => ({
    ...s,
    previousSpec: s.spec,
    spec: {
      ...s.spec,
      taskTemplate: {
        ...s.spec.taskTemplate,
        containerSpec: { ...s.spec.taskTemplate.containerSpec, image },
      },
    },
    updateStatus: { state: "updating", startedAtMs: h.clock.nowMs(), message: "update in progress" },
  }));
}

/** Test helper: agent steps and time steps until `done` holds (or gives up after maxSteps). */
export async function runUntil(
  h: Harness,
  done: () => boolean,
  stepMs = 1_000,
  maxSteps = 60,
): Promise<number> {
  for (let step = 0; step < maxSteps; step++) {
    await h.converge(2);
    if (done()) return step;
    await h.advance(stepMs);
  }
  throw new Error("the condition did not hold in time");
}

export function imagesOf(h: Harness, id: string): string[] {
  return h.runnable(id).map((t) => t.spec.containerSpec.image);
}

export function stateOf(h: Harness, id: string): Service["updateStatus"] {
  return h.service(id).updateStatus;
}

/** Slots of the service's runnable tasks: each slot exactly once means no duplicates. */
export function slotsOf(h: Harness, id: string): number[] {
  return h
    .runnable(id)
    .filter((t) => t.desiredState === TaskState.Running)
    .map((t) => t.slot)
    .sort((a, b) => a - b);
}

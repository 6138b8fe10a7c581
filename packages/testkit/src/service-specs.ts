/** Service specs for simulations, with timings short enough for tests (restart delay, monitor). */
import type { ServiceSpec, UpdateConfig } from "@shoal/store";
import { makeServiceSpec } from "@shoal/store/testing";

export interface SimServiceOptions {
  readonly image?: string;
  readonly restartDelayMs?: number;
  readonly restartMaxAttempts?: number;
  readonly restartCondition?: "none" | "on-failure" | "any";
  readonly update?: Partial<UpdateConfig>;
}

export function simServiceSpec(name: string, replicas: number, o: SimServiceOptions = {}): ServiceSpec {
  const base = makeServiceSpec(name, replicas);
  const template = base.taskTemplate;
  return {
    ...base,
    taskTemplate: {
      ...template,
      containerSpec: { ...template.containerSpec, image: o.image ?? "shoal-sim/app:1" },
      restartPolicy: {
        ...template.restartPolicy,
        condition: o.restartCondition ?? "any",
        delayMs: o.restartDelayMs ?? 50,
        maxAttempts: o.restartMaxAttempts ?? 0,
      },
    },
    updateConfig: { ...base.updateConfig, monitorMs: 100, ...o.update },
  };
}

/** The same spec with another image (what `service update --image` changes). */
export function withImage(spec: ServiceSpec, image: string): ServiceSpec {
  return {
    ...spec,
    taskTemplate: {
      ...spec.taskTemplate,
      containerSpec: { ...spec.taskTemplate.containerSpec, image },
    },
  };
}

export function withReplicas(spec: ServiceSpec, replicas: number): ServiceSpec {
  return { ...spec, mode: { replicated: { replicas } } };
}

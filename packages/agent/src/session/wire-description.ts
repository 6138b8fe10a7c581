import type { NodeDescription as WireNodeDescription } from "@shoal/rpc";
import type { NodeDescription } from "@shoal/store";

/** The node description as the Session call carries it. */
export function nodeDescriptionToWire(description: NodeDescription): WireNodeDescription {
  return {
    hostname: description.hostname,
    os: description.platform.os,
    architecture: description.platform.arch,
    nano_cpus: description.resources.nanoCpus,
    memory_bytes: description.resources.memoryBytes,
    engine_version: description.engine.version,
    engine_labels: { ...description.engine.labels },
  };
}

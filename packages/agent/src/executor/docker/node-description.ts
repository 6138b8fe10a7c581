import type { NodeDescription } from "@shoal/store";

/** The parts of the engine's /info answer a node description is made from. */
export interface EngineInfo {
  Name?: string;
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  ServerVersion?: string;
  Labels?: string[] | null;
}

/** `key=value` engine labels (`dockerd --label`) as a map; a bare key maps to "". */
export function parseEngineLabels(labels: readonly string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels ?? []) {
    const eq = label.indexOf("=");
    if (eq < 0) out[label] = "";
    else out[label.slice(0, eq)] = label.slice(eq + 1);
  }
  return out;
}

/** What the node registers with: hostname, platform, resources and engine, from the engine's info. */
export function nodeDescriptionFromInfo(info: EngineInfo): NodeDescription {
  return {
    hostname: info.Name ?? "",
    platform: { os: info.OSType ?? "linux", arch: info.Architecture ?? "" },
    resources: {
      nanoCpus: Math.max(0, Math.round((info.NCPU ?? 0) * 1e9)),
      memoryBytes: Math.max(0, info.MemTotal ?? 0),
    },
    engine: { version: info.ServerVersion ?? "", labels: parseEngineLabels(info.Labels) },
  };
}

import { posix } from "node:path";
import type { NetworkSpec } from "@shoal/store";
import type { ComposeConfig } from "./compose-model.ts";
import {
  convertFileObject,
  convertNetwork,
  convertVolume,
  type StackExternals,
  type StackFileObject,
  type StackVolume,
} from "./convert-objects.ts";
import { convertService, type StackServiceSpec, type UndefinedReference } from "./convert-service.ts";
import { type Diagnostic, diagnostic, PositionIndex } from "./diagnostic.ts";
import type { Environment } from "./interpolation.ts";
import { DIAGNOSTICS_MAX, STACK_FILES_MAX } from "./limits.ts";
import { parseLocatedYaml } from "./located-yaml.ts";
import { mergeConfigs } from "./merge-files.ts";
import { normalizeFile } from "./normalize-file.ts";
import { isValidStackName, scopedName } from "./stack-names.ts";
import { validateFile } from "./validate.ts";

export interface StackFile {
  /** Path or name the file is reported under; relative paths in the file resolve against it. */
  name: string;
  text: string;
}

export interface LoadStackInput {
  /** In `-c` order: later files override earlier ones. */
  files: readonly StackFile[];
  stackName: string;
  /** Variables for `${VAR}` and bare `environment` names (the caller's process environment). */
  env?: Environment;
  /**
   * Directory relative paths (bind mounts, env_file, secret and config files) resolve against;
   * default: the first file's directory, as docker. Give an absolute one so bind mounts are.
   */
  workingDir?: string;
  /** Other files the stack refers to (env_file), already read, by resolved path. */
  attachedFiles?: Readonly<Record<string, string>>;
}

export interface LoadedStack {
  ok: true;
  stackName: string;
  /** Sorted by name; each named `STACK_service` and labelled with the stack. */
  services: StackServiceSpec[];
  /** Networks the stack creates (those its services use, not external). */
  networks: NetworkSpec[];
  /** Secrets and configs the stack creates; the caller reads each `file`. */
  secrets: StackFileObject[];
  configs: StackFileObject[];
  volumes: StackVolume[];
  externals: StackExternals;
  /** The merged, normalised file: what `formatStackConfig` prints. */
  config: ComposeConfig;
  warnings: Diagnostic[];
}

export interface FailedStack {
  ok: false;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export type LoadStackResult = LoadedStack | FailedStack;

/**
 * Loads stack files the way `docker stack deploy -c ... NAME` does: parse, interpolate, validate,
 * normalise, merge in order, convert to service specs. Pure: no file system, no clock; never
 * throws on bad input — every problem comes back as a positioned diagnostic.
 */
export function loadStack(input: LoadStackInput): LoadStackResult {
  const diagnostics: Diagnostic[] = [];
  const firstName = input.files[0]?.name ?? "<stack>";
  const top = { file: firstName, line: 1, column: 1 };
  if (!isValidStackName(input.stackName)) {
    const message = `invalid stack name "${input.stackName}": letters, digits, _ . - (starting with a letter or digit), at most 63`;
    return finish([diagnostic(top, [], "stack-name", message)]);
  }
  if (input.files.length === 0 || input.files.length > STACK_FILES_MAX) {
    return finish([diagnostic(top, [], "too-large", `give between 1 and ${STACK_FILES_MAX} stack files`)]);
  }
  const baseDir = input.workingDir ?? posix.dirname(firstName.replaceAll("\\", "/"));
  const positions = new PositionIndex(top);
  const configs: ComposeConfig[] = [];
  for (const file of input.files) {
    const parsed = parseLocatedYaml(file.name, file.text);
    if (!parsed.ok) {
      diagnostics.push(...parsed.errors);
      continue;
    }
    const validated = validateFile(file.name, parsed.root, input.env ?? {});
    diagnostics.push(...validated.diagnostics);
    checkVersion(validated.value.version, validated.positions, diagnostics);
    const ctx = {
      env: input.env ?? {},
      baseDir,
      attachedFiles: input.attachedFiles ?? {},
      positions: validated.positions,
      diagnostics,
    };
    configs.push(normalizeFile(validated.value, ctx));
    positions.absorb(validated.positions);
  }
  if (diagnostics.some((d) => d.severity === "error")) return finish(diagnostics);
  const config = mergeConfigs(configs);
  const problems: UndefinedReference[] = [];
  const loaded = convertStack(input.stackName, config, problems);
  for (const p of problems)
    diagnostics.push(diagnostic(positions.at(p.path), p.path, "undefined-reference", p.message));
  if (diagnostics.some((d) => d.severity === "error")) return finish(diagnostics);
  return { ...loaded, warnings: capped(diagnostics) };
}

function finish(diagnostics: Diagnostic[]): FailedStack {
  diagnostics.sort(byPlace);
  return {
    ok: false,
    errors: capped(diagnostics.filter((d) => d.severity === "error")),
    warnings: capped(diagnostics.filter((d) => d.severity === "warning")),
  };
}

/** File order (as given; diagnostics of one file stay together), then line and column. */
function byPlace(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return 0;
  return a.line - b.line || a.column - b.column;
}

function capped(list: Diagnostic[]): Diagnostic[] {
  if (list.length <= DIAGNOSTICS_MAX) return list;
  const last = list[DIAGNOSTICS_MAX - 1] as Diagnostic;
  const note = { ...last, message: `${list.length - DIAGNOSTICS_MAX + 1} more problems not shown` };
  return [...list.slice(0, DIAGNOSTICS_MAX - 1), note];
}

function checkVersion(version: unknown, positions: PositionIndex, out: Diagnostic[]) {
  if (version === undefined || /^3(\.\d+)?$/.test(String(version))) return;
  const message = `unsupported Compose file version "${String(version)}": stacks use version 3.x`;
  out.push(diagnostic(positions.at(["version"]), ["version"], "invalid-value", message));
}

function convertStack(stackName: string, config: ComposeConfig, problems: UndefinedReference[]) {
  const services = Object.keys(config.services)
    .sort()
    .map((key) => {
      const spec = convertService(stackName, key, config.services[key] ?? {}, config, problems);
      if (scopedName(stackName, key).length > 63 || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(key)) {
        problems.push({
          path: ["services", key],
          message: `service name "${scopedName(stackName, key)}" is not valid`,
        });
      }
      return spec;
    });
  const externals: StackExternals = { networks: [], secrets: [], configs: [], volumes: [] };
  const networks: NetworkSpec[] = [];
  const used = new Set(services.flatMap((s) => s.taskTemplate.networks.map((n) => n.target)));
  const networkKeys = Object.keys(config.networks);
  if (!networkKeys.includes("default")) networkKeys.push("default");
  for (const key of networkKeys.sort()) {
    const spec = convertNetwork(stackName, key, config.networks[key] ?? {});
    if (!used.has(spec.name)) continue;
    if (config.networks[key]?.external) externals.networks.push(spec.name);
    else networks.push(spec);
  }
  const fileObjects = (kind: "secrets" | "configs") =>
    Object.keys(config[kind])
      .sort()
      .flatMap((key) => {
        const def = config[kind][key] ?? {};
        const object = convertFileObject(stackName, key, def);
        if (def.external) {
          externals[kind].push(object.name);
          return [];
        }
        if (!def.file)
          problems.push({
            path: [kind, key],
            message: `${kind.slice(0, -1)} "${key}" needs file or external`,
          });
        return [object];
      });
  const volumes = Object.keys(config.volumes)
    .sort()
    .flatMap((key) => {
      const def = config.volumes[key] ?? {};
      const volume = convertVolume(stackName, key, def);
      if (!def.external) return [volume];
      externals.volumes.push(volume.name);
      return [];
    });
  return {
    ok: true as const,
    stackName,
    services,
    networks,
    secrets: fileObjects("secrets"),
    configs: fileObjects("configs"),
    volumes,
    externals,
    config,
  };
}

import { bool, type KeySchema, listOf, listOrDict, mapOf, obj, str } from "./key-schema.ts";
import { SERVICE_KEYS } from "./key-tree-service.ts";

/** `external: true` or (deprecated) `external: { name: x }`. */
const external: KeySchema = {
  type: "union",
  description: "The object already exists on the cluster: the stack does not create it",
  scalar: bool("Created outside the stack"),
  map: obj("an external object (deprecated form)", { name: str("Name on the cluster") }),
};

const driverOpts = mapOf("Driver options", str("an option", { nullable: true, loose: true }));

const fileObject = (what: string) =>
  obj(
    `A ${what}: read from a file when the stack is deployed, or external`,
    {
      file: str("Path of the file with the data, relative to the stack file"),
      external,
      name: str(`Name of the ${what} on the cluster (default STACK_key)`),
      labels: listOrDict(`Labels on the ${what}`),
      template_driver: {
        type: "any",
        description: "Templating driver (not supported)",
        status: { ignored: true },
      },
      driver: { type: "any", description: "Secret driver (not supported)", status: { ignored: true } },
    },
    { nullable: true },
  );

/** The whole stack file. Data: walk it for completion and hover text. */
export const COMPOSE_KEY_TREE = obj(
  "A stack file (Compose file format 3.x, as docker stack deploy reads it)",
  {
    version: str('Compose file format version, "3" to "3.9"'),
    name: { type: "any", description: "Project name (not used: the stack name comes from the command line)" },
    services: mapOf("Services by name", SERVICE_KEYS, { skipExtensions: true }),
    networks: mapOf(
      "Networks by name",
      obj(
        "A network",
        {
          driver: str("Driver (default overlay)"),
          driver_opts: driverOpts,
          ipam: obj("Address management", {
            driver: str("IPAM driver (default default)"),
            config: listOf(
              "Subnets",
              obj("a subnet", {
                subnet: str("CIDR, e.g. 10.0.9.0/24"),
                gateway: str("Gateway address"),
                ip_range: str("Range tasks get addresses from"),
              }),
            ),
            options: driverOpts,
          }),
          external,
          internal: bool("No access to the outside world"),
          attachable: bool("Standalone containers may attach"),
          labels: listOrDict("Labels on the network"),
          name: str("Name of the network on the cluster (default STACK_key)"),
        },
        { nullable: true },
      ),
      { skipExtensions: true },
    ),
    volumes: mapOf(
      "Named volumes",
      obj(
        "A volume",
        {
          driver: str("Volume driver (default local)"),
          driver_opts: driverOpts,
          external,
          labels: listOrDict("Labels on the volume"),
          name: str("Name of the volume on each node (default STACK_key)"),
        },
        { nullable: true },
      ),
      { skipExtensions: true },
    ),
    secrets: mapOf("Secrets by name", fileObject("secret"), { skipExtensions: true }),
    configs: mapOf("Configs by name", fileObject("config"), { skipExtensions: true }),
  },
);

export interface KeyCompletion {
  key: string;
  type: string;
  description: string;
  /** Swarm ignores the key: using it gives a warning. */
  ignored: boolean;
}

/**
 * The keys that may appear at `path` (keys only; list indexes and user-chosen names such as a
 * service name are given as any string), for an editor's completion list.
 */
export function keysAt(path: readonly (string | number)[]): KeyCompletion[] {
  let schema: KeySchema | undefined = COMPOSE_KEY_TREE;
  for (const part of path) {
    schema = schema && childSchema(schema, part);
    if (!schema) return [];
  }
  const objectSchema = schema && asObject(schema);
  if (!objectSchema) return [];
  return Object.entries(objectSchema.keys)
    .filter(([, s]) => !(s.status && "forbidden" in s.status))
    .map(([key, s]) => ({
      key,
      type: s.type,
      description: s.description,
      ignored: !!s.status && "ignored" in s.status,
    }));
}

function asObject(schema: KeySchema): (KeySchema & { type: "object" }) | undefined {
  if (schema.type === "object") return schema;
  if (schema.type === "union" && schema.map?.type === "object") return schema.map;
  return undefined;
}

function childSchema(schema: KeySchema, part: string | number): KeySchema | undefined {
  switch (schema.type) {
    case "object":
      return typeof part === "string" ? schema.keys[part] : undefined;
    case "map":
      return schema.values;
    case "list":
      return schema.items;
    case "union":
      return typeof part === "number"
        ? schema.list && childSchema(schema.list, part)
        : schema.map && childSchema(schema.map, part);
    default:
      return undefined;
  }
}

/**
 * Loads the committed .proto files at run time (no generated code). Options are fixed so every
 * caller sees the same JavaScript shapes: field names as written (snake_case), 64-bit integers as
 * Number, enums as their names, missing fields filled with defaults, bytes as Buffer.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

export const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "proto");

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

export interface ShoalServices {
  readonly ca: grpc.ServiceClientConstructor;
  readonly dispatcher: grpc.ServiceClientConstructor;
  readonly raft: grpc.ServiceClientConstructor;
  readonly control: grpc.ServiceClientConstructor;
}

let loaded: ShoalServices | undefined;

/** The four services, loaded once per process. */
export function shoalServices(): ShoalServices {
  loaded ??= {
    ca: load("ca.proto", "shoal.ca.CA"),
    dispatcher: load("dispatcher.proto", "shoal.dispatcher.Dispatcher"),
    raft: load("raft.proto", "shoal.raft.Raft"),
    control: load("control.proto", "shoal.control.Control"),
  };
  return loaded;
}

function load(file: string, serviceName: string): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(PROTO_DIR, file), LOADER_OPTIONS);
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of serviceName.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "function") throw new Error(`proto ${file} does not define ${serviceName}`);
  return node as grpc.ServiceClientConstructor;
}

/** The full method path gRPC uses on the wire, e.g. "/shoal.raft.Raft/Join". */
export function methodPath(service: grpc.ServiceClientConstructor, method: string): string {
  const definition = service.service[method];
  if (definition === undefined) throw new Error(`unknown method ${method} of ${service.serviceName}`);
  return definition.path;
}

/** The API's output and input types, read from the router (types only: nothing of the server loads). */
import type { AppRouter } from "@shoal/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type ApiOutputs = inferRouterOutputs<AppRouter>;
export type ApiInputs = inferRouterInputs<AppRouter>;

export type ServiceView = ApiOutputs["services"]["inspect"];
export type TaskView = ApiOutputs["tasks"]["inspect"];
export type NodeView = ApiOutputs["nodes"]["inspect"];
export type NetworkView = ApiOutputs["networks"]["inspect"];
export type SecretView = ApiOutputs["secrets"]["inspect"];
export type ConfigView = ApiOutputs["configs"]["inspect"];
export type ServiceSpecInput = ApiInputs["services"]["create"]["spec"];

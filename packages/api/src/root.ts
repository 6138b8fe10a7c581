import { authRouter } from "./routers/auth.ts";
import { configRouter } from "./routers/configs.ts";
import { historyRouter } from "./routers/history.ts";
import { networkRouter } from "./routers/networks.ts";
import { nodeRouter } from "./routers/nodes.ts";
import { secretRouter } from "./routers/secrets.ts";
import { serviceRouter } from "./routers/services.ts";
import { stackRouter } from "./routers/stacks.ts";
import { swarmRouter } from "./routers/swarm.ts";
import { taskRouter } from "./routers/tasks.ts";
import { tokenRouter } from "./routers/tokens.ts";
import { userRouter } from "./routers/users.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

/** The public API: one router per resource. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  swarm: swarmRouter,
  nodes: nodeRouter,
  services: serviceRouter,
  stacks: stackRouter,
  tasks: taskRouter,
  networks: networkRouter,
  secrets: secretRouter,
  configs: configRouter,
  users: userRouter,
  tokens: tokenRouter,
  history: historyRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls (tests, the dashboard's prefetch): `createCaller(createRequestContext(...))`. */
export const createCaller = createCallerFactory(appRouter);

import type { UserRole } from "@shoal/store";
import { initTRPC } from "@trpc/server";
import type { ApiContext } from "./api-context.ts";
import { ApiError } from "./api-error.ts";
import type { ApiServices } from "./api-services.ts";
import type { Credentials } from "./auth/authenticator.ts";
import { actorOf, type Principal } from "./auth/principal.ts";
import { hasRole } from "./auth/roles.ts";
import { exposeError, toTRPCError } from "./error-mapping.ts";
import { PROCEDURES_WHILE_LOCKED, SWARM_LOCKED_MESSAGE } from "./swarm-lock.ts";

/** What the HTTP handler gives each request. */
export interface RequestInfo {
  readonly credentials: Credentials;
  /** The client's address (rate limits). */
  readonly ip: string;
  /** Whether the request came over TLS (cookies get `Secure`). */
  readonly secure?: boolean;
  /** Adds a Set-Cookie header to the response. */
  readonly setCookie: (header: string) => void;
  /** Gets every error the client only sees as "internal". */
  readonly onInternalError?: (error: unknown) => void;
}

export interface RequestContext extends RequestInfo {
  readonly api: ApiContext;
  readonly services: ApiServices;
}

/** The context of one tRPC request; the HTTP handler calls this per request. */
export function createRequestContext(services: ApiServices, request: RequestInfo): RequestContext {
  return { ...request, api: services.api, services };
}

const t = initTRPC.context<RequestContext>().create({
  /** The one error formatter: a Shoal code and an actionable message; never a stack trace. */
  errorFormatter({ shape, error, ctx }) {
    const exposed = exposeError(error);
    if (exposed.code === "internal") ctx?.onInternalError?.(error.cause ?? error);
    return {
      code: shape.code,
      message: exposed.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        shoalCode: exposed.code,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps every failure below it to a client-facing error (error-mapping.ts). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** A locked manager (autolock) answers nothing but swarm.unlock and swarm.status (swarm-lock.ts). */
const refuseWhileLocked = t.middleware(({ ctx, path, next }) => {
  if (ctx.api.node?.isLocked() && !PROCEDURES_WHILE_LOCKED.has(path)) {
    throw new ApiError("failed-precondition", SWARM_LOCKED_MESSAGE);
  }
  return next();
});

/** Open to anyone: auth.status, auth.setup (until a user exists), auth.login, auth.logout. */
export const publicProcedure = t.procedure.use(mapErrors).use(refuseWhileLocked);

/**
 * The whole authorisation rule, in one place: until the first user exists nothing but auth.setup
 * answers; after that a caller needs valid credentials and at least `role`.
 */
export function authorize(
  ctx: RequestContext,
  path: string,
  role: UserRole,
): { principal: Principal; actor: string } {
  if (ctx.services.authenticator.needsSetup()) {
    throw new ApiError(
      "setup-required",
      "this cluster has no users yet: create the first admin with auth.setup",
    );
  }
  const principal = ctx.services.authenticator.authenticate(ctx.credentials);
  if (principal === undefined) {
    throw new ApiError(
      "unauthenticated",
      "log in (auth.login) or send an API token (Authorization: Bearer ...)",
    );
  }
  if (!hasRole(principal.role, role)) {
    throw new ApiError(
      "forbidden",
      `${path} needs the ${role} role and ${principal.userName} has ${principal.role}: ask an admin for a higher role`,
    );
  }
  return { principal, actor: actorOf(principal) };
}

function requireRole(role: UserRole) {
  return t.middleware(({ ctx, path, next }) => next({ ctx: authorize(ctx, path, role) }));
}

export const viewerProcedure = publicProcedure.use(requireRole("viewer"));
export const operatorProcedure = publicProcedure.use(requireRole("operator"));
export const adminProcedure = publicProcedure.use(requireRole("admin"));

/**
 * Test helper: calls a node's tRPC API over real HTTP (fetch), as the CLI and dashboard do.
 * Queries go out as GET, mutations as POST; a failure throws ApiCallError with the API's code.
 */

export interface ApiCredentials {
  /** A Cookie header (`shoal_session=...`), from `login`. */
  readonly cookie?: string;
  /** An API token (Authorization: Bearer). */
  readonly token?: string;
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

interface TrpcBody {
  result?: { data: unknown };
  error?: { message: string; data?: { shoalCode?: string } };
}

export async function apiQuery<T = unknown>(
  base: string,
  path: string,
  input?: unknown,
  credentials: ApiCredentials = {},
): Promise<T> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${base}/api/trpc/${path}${query}`, { headers: headersOf(credentials) });
  return (await resultOf(res)) as T;
}

export async function apiMutate<T = unknown>(
  base: string,
  path: string,
  input?: unknown,
  credentials: ApiCredentials = {},
): Promise<T> {
  const res = await fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: { ...headersOf(credentials), "content-type": "application/json" },
    body: JSON.stringify(input ?? null),
  });
  return (await resultOf(res)) as T;
}

/** `auth.login`: the session cookie to send with later calls. */
export async function login(base: string, name: string, password: string): Promise<ApiCredentials> {
  const res = await fetch(`${base}/api/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
  await resultOf(res);
  const cookie = res.headers.getSetCookie()[0]?.split(";")[0];
  if (!cookie) throw new Error(`auth.login on ${base} set no session cookie`);
  return { cookie };
}

function headersOf(credentials: ApiCredentials): Record<string, string> {
  return {
    ...(credentials.cookie ? { cookie: credentials.cookie } : {}),
    ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
  };
}

async function resultOf(res: Response): Promise<unknown> {
  const body = (await res.json()) as TrpcBody;
  if (body.error) {
    throw new ApiCallError(body.error.data?.shoalCode ?? "unknown", res.status, body.error.message);
  }
  return body.result?.data;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateJoinTokens } from "@shoal/ca";
import type { Clock } from "@shoal/manager";
import { DEFAULT_CLUSTER_SPEC, type Store } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import type { ApiContext } from "../src/api-context.ts";
import { type ApiServices, createApiServices } from "../src/api-services.ts";
import type { LoginLimits } from "../src/auth/login-rate-limiter.ts";
import { createLocalControl } from "../src/control/local-control.ts";
import { type HistoryDatabase, openHistoryDatabase } from "../src/history/history-database.ts";
import { PrismaHistoryReader } from "../src/history/history-reader.ts";
import { HistoryWriter } from "../src/history/history-writer.ts";
import { createCaller } from "../src/root.ts";
import { createRequestContext } from "../src/trpc.ts";

/** bcrypt cost in tests: the real cost (BCRYPT_COST) takes ~0.3 s a hash. */
const TEST_BCRYPT_COST = 4;

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public now = 1_000_000) {}
  nowMs(): number {
    return this.now;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** One manager's API over a test store, with its SQLite history in a temp directory. */
export class ApiHarness {
  readonly clock = new TestClock();
  readonly store: Store;
  readonly api: ApiContext;
  readonly services: ApiServices;
  readonly writer: HistoryWriter;
  readonly cookies: string[] = [];
  internalErrors: unknown[] = [];

  private constructor(
    readonly db: HistoryDatabase,
    private readonly dir: string,
    options: { loginLimits?: LoginLimits; historyBatchesMax?: number },
  ) {
    const history =
      options.historyBatchesMax === undefined ? {} : { history: { batchesMax: options.historyBatchesMax } };
    this.store = createTestStore({ clock: () => this.clock.nowMs(), ...history }).store;
    this.api = {
      control: createLocalControl(this.store, this.clock),
      store: this.store,
      history: new PrismaHistoryReader(db.prisma),
      clock: this.clock,
    };
    this.services = createApiServices(this.api, { ...options, bcryptCost: TEST_BCRYPT_COST });
    this.writer = new HistoryWriter(db.prisma, this.store);
  }

  static async create(
    options: { loginLimits?: LoginLimits; historyBatchesMax?: number } = {},
  ): Promise<ApiHarness> {
    const dir = mkdtempSync(join(tmpdir(), "shoal-api-"));
    const db = await openHistoryDatabase({ dataDir: dir });
    const h = new ApiHarness(db, dir, options);
    await h.store.update((tx) =>
      tx.create("cluster", {
        spec: DEFAULT_CLUSTER_SPEC,
        rootCa: {
          caCertPem: "test CA",
          caKeyPem: "test key",
          caCertHash: "00",
          joinTokens: generateJoinTokens("test CA"),
        },
        unlockKeys: [],
      }),
    );
    return h;
  }

  /** A tRPC caller with these credentials (`shoal_...` token, or a session cookie header). */
  caller(credentials: { token?: string; cookie?: string } = {}, ip = "127.0.0.1") {
    return createCaller(
      createRequestContext(this.services, {
        credentials: {
          authorization: credentials.token === undefined ? undefined : `Bearer ${credentials.token}`,
          cookie: credentials.cookie,
        },
        ip,
        setCookie: (header) => this.cookies.push(header),
        onInternalError: (error) => this.internalErrors.push(error),
      }),
    );
  }

  /** Sets up the first admin and returns an admin session cookie. */
  async setUp(name = "root", password = "correct horse"): Promise<string> {
    await this.caller().auth.setup({ name, password });
    return this.login(name, password);
  }

  async login(name: string, password: string): Promise<string> {
    await this.caller().auth.login({ name, password });
    const header = this.cookies.at(-1) ?? "";
    return header.split(";")[0] as string;
  }

  /** A user with `role` and an API token of theirs. */
  async userWithToken(
    adminCookie: string,
    name: string,
    role: "viewer" | "operator" | "admin",
  ): Promise<string> {
    await this.caller({ cookie: adminCookie }).users.create({ name, role, password: `${name}-password` });
    const cookie = await this.login(name, `${name}-password`);
    const { secret } = await this.caller({ cookie }).tokens.create({ name: "t" });
    return secret;
  }

  async close(): Promise<void> {
    await this.writer.stop();
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The tRPC error code and Shoal message of a failed call. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error("expected the call to fail");
}

export const SERVICE_SPEC = {
  name: "web",
  taskTemplate: { containerSpec: { image: "shoal-test/busybox:1" } },
  mode: { replicated: { replicas: 2 } },
};

/** Waits until the history writer has written everything up to `version`. */
export async function historyCaughtUp(h: ApiHarness, version = h.store.version): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await h.writer.lastIndex()) >= version) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`history did not reach version ${version}`);
}

import type { NextConfig } from "next";

/** The dashboard is served by a node's HTTP server (server.ts), never by `next start`. */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages are TypeScript sources; the client imports only their types.
  transpilePackages: ["@shoal/api"],
  // The browser shares the server's zod schemas (src/lib/shared-schemas.ts): inside the bundle,
  // @shoal/store is only its object schemas (the store itself needs node:fs).
  turbopack: { resolveAlias: { "@shoal/store": "../../packages/store/src/objects/index.ts" } },
  // `npm run typecheck -w @shoal/web` checks types (scripts/typecheck.mjs explains the one exception).
  typescript: { ignoreBuildErrors: true },
};

export default config;

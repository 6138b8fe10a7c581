import { defineConfig } from "vitest/config";

/**
 * The dashboard's end-to-end suite (`npm run test:e2e`): real nodes, a real Docker Engine, Debian's
 * Chromium. One file, scenarios in order (each builds on the cluster the previous one left).
 */
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.e2e.ts"],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});

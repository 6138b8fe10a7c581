import { defineConfig } from "vitest/config";

/**
 * The dashboard's end-to-end suite (`npm run test:e2e`): real nodes, a real Docker Engine, Debian's
 * Chromium. One file: the first scenario makes the cluster, each later one works on its own services
 * and stacks in it.
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

/**
 * The dashboard against real nodes: a fresh dashboard node (manager-1) and a `shoal daemon`
 * (worker-1) on this machine's Docker Engine, driven in Debian's Chromium. The first scenario makes
 * the cluster (admin, swarm, the worker joining); every other one runs in its own page on its own
 * services and stacks, so it does not depend on what another scenario left. Screenshots go to
 * e2e/artifacts/ (a failed scenario leaves failed-<name>.png).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { firstRunAndJoin } from "./scenarios/first-run.ts";
import { networkMembership } from "./scenarios/network-membership.ts";
import { nodesAndRoles } from "./scenarios/nodes-and-roles.ts";
import { scaleService } from "./scenarios/scale-service.ts";
import { deployStack } from "./scenarios/stack-deploy.ts";
import { deployStackWithSecret } from "./scenarios/stack-secrets.ts";
import { tabletWidth } from "./scenarios/tablet-width.ts";
import { launchBrowser, newContext, TABLET } from "./support/browser.ts";
import { type NodeProcess, removeTaskContainers, startNode } from "./support/node-process.ts";
import { runScenario } from "./support/scenario.ts";

describe.sequential("dashboard on a real cluster", () => {
  const workDir = mkdtempSync(join(tmpdir(), "shoal-e2e-"));
  const nodes: NodeProcess[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let manager: NodeProcess;

  beforeAll(async () => {
    manager = await startNode("dashboard", "manager-1", workDir);
    nodes.push(manager);
    browser = await launchBrowser();
    context = await newContext(browser, manager.url);
  });

  afterAll(async () => {
    const ids = await nodeIds(manager);
    await browser?.close();
    for (const node of nodes.reverse()) await node.stop();
    removeTaskContainers(ids);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("first run: admin, swarm, copied join command, the new node appears live", async () => {
    await runScenario(context, "first-run", (page) =>
      firstRunAndJoin(page, async () => {
        const worker = await startNode("daemon", "worker-1", workDir);
        nodes.push(worker);
        return worker;
      }).then(() => {}),
    );
  });

  it("stacks: diagnostics, plan, deploy, edit, revisions, revert", async () => {
    await runScenario(context, "stacks", deployStack);
  });

  it("networks: the stack's service shows its network and VIP; the network lists its tasks", async () => {
    // Reads the stack the stacks scenario deployed (shop_web, 2 tasks after its revert).
    await runScenario(context, "networks", async (page) => {
      await page.goto("/swarm");
      await networkMembership(page, 2);
    });
  });

  it("stacks: a secret and a config from files, pasted and uploaded in the editor", async () => {
    await runScenario(context, "stack-secrets", deployStackWithSecret);
  });

  it("services: scale up and down, counts and task rows follow live", async () => {
    await runScenario(context, "services", scaleService);
  });

  it("tablet width: no sideways page scroll, navigation on screen, tables scroll in place", async () => {
    const tablet = await newContext(browser, manager.url, TABLET);
    try {
      await runScenario(tablet, "tablet", tabletWidth);
    } finally {
      await tablet.close();
    }
  });

  it("nodes: drain moves tasks, promote, quorum warning, a viewer cannot change anything", async () => {
    await runScenario(context, "nodes", (page) => nodesAndRoles(page, browser, manager.url));
  });

  async function nodeIds(node: NodeProcess | undefined): Promise<string[]> {
    if (!node || !context) return [];
    try {
      const r = await context.request.get(
        `${node.url}/api/trpc/nodes.list?input=${encodeURIComponent("{}")}`,
      );
      const body = (await r.json()) as { result: { data: { items: { id: string }[] } } };
      return body.result.data.items.map((n) => n.id);
    } catch {
      return [];
    }
  }
});

/**
 * The dashboard against real nodes: a fresh dashboard node (manager-1) and a `shoal daemon`
 * (worker-1) on this machine's Docker Engine, driven in Debian's Chromium. The scenarios run in
 * order on one cluster. Screenshots go to e2e/artifacts/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { firstRunAndJoin } from "./scenarios/first-run.ts";
import { nodesAndRoles } from "./scenarios/nodes-and-roles.ts";
import { scaleService } from "./scenarios/scale-service.ts";
import { deployStack } from "./scenarios/stack-deploy.ts";
import { launchBrowser, newContext } from "./support/browser.ts";
import { type NodeProcess, removeTaskContainers, startNode } from "./support/node-process.ts";

describe.sequential("dashboard on a real cluster", () => {
  const workDir = mkdtempSync(join(tmpdir(), "shoal-e2e-"));
  const nodes: NodeProcess[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let manager: NodeProcess;

  beforeAll(async () => {
    manager = await startNode("dashboard", "manager-1", workDir);
    nodes.push(manager);
    browser = await launchBrowser();
    context = await newContext(browser, manager.url);
    page = await context.newPage();
  });

  afterAll(async () => {
    const ids = await nodeIds(manager);
    await browser?.close();
    for (const node of nodes.reverse()) await node.stop();
    removeTaskContainers(ids);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("first run: admin, swarm, copied join command, the new node appears live", async () => {
    await firstRunAndJoin(page, async () => {
      const worker = await startNode("daemon", "worker-1", workDir);
      nodes.push(worker);
      return worker;
    });
  });

  it("stacks: diagnostics, plan, deploy, edit, revisions, revert", async () => {
    await deployStack(page);
  });

  it("services: scale up and down, counts and task rows follow live", async () => {
    await scaleService(page);
  });

  it("nodes: drain moves tasks, promote, quorum warning, a viewer cannot change anything", async () => {
    await nodesAndRoles(page, browser, manager.url);
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

/**
 * Scenario 4: drain a node with a click → its tasks move; promote the worker → it shows as a
 * manager; demoting a manager shows the quorum warning; a viewer sees no mutating buttons.
 * Its own service (`drain-demo`, created once worker-1 is ready so the scheduler spreads it there,
 * `rebalance: auto` so tasks come back if worker-1 missed a heartbeat under load) and its own
 * stack (`ops`, for the viewer's stack page).
 */
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { logIn, newContext, screenshot } from "../support/browser.ts";
import { httpService, mutate, nodeIdOf, runningTasksByNode } from "../support/dashboard-api.ts";
import { runScenario } from "../support/scenario.ts";
import { replicasShown } from "./stack-deploy.ts";

const VIEWER = { user: "watcher", password: "only looking 123" };
const SERVICE = "drain-demo";
const REPLICAS = 4;
const STACK = "ops";
const TASKS_COLUMN = 8;

async function taskCount(page: Page, host: string): Promise<number> {
  const text = await page
    .getByRole("row", { name: new RegExp(host) })
    .getByRole("cell")
    .nth(TASKS_COLUMN)
    .textContent();
  return Number(text);
}

export async function nodesAndRoles(page: Page, browser: Browser, baseURL: string): Promise<void> {
  await page.goto("/nodes");
  const worker = page.getByRole("row", { name: /worker-1/ });
  await worker.getByText("ready").waitFor({ timeout: 60_000 });
  const workerId = await nodeIdOf(page, "worker-1");
  const managerId = await nodeIdOf(page, "manager-1");

  await mutate(page, "services.create", { spec: httpService(SERVICE, REPLICAS, { rebalance: "auto" }) });
  await expect
    .poll(async () => (await runningTasksByNode(page, SERVICE)).get(workerId) ?? 0, {
      timeout: 90_000,
      message: `worker-1 should run some of ${SERVICE}'s ${REPLICAS} tasks before it is drained`,
    })
    .toBeGreaterThan(0);
  await expect
    .poll(() => taskCount(page, "worker-1"), {
      timeout: 30_000,
      message: "the nodes table should count worker-1's tasks",
    })
    .toBeGreaterThan(0);

  await worker.getByRole("button", { name: "Drain" }).click();
  await worker.getByText("drain", { exact: true }).waitFor();
  // Only this scenario's service is counted: another scenario's service may be mid-update.
  await expect
    .poll(async () => (await runningTasksByNode(page, SERVICE)).get(managerId) ?? 0, {
      timeout: 90_000,
      message: `all ${REPLICAS} tasks of ${SERVICE} should run on manager-1 after worker-1 is drained`,
    })
    .toBe(REPLICAS);
  await expect
    .poll(async () => (await runningTasksByNode(page, SERVICE)).get(workerId) ?? 0, {
      message: `no task of ${SERVICE} should run on the drained worker-1`,
    })
    .toBe(0);
  await screenshot(page, "12-nodes-drained");
  await page.goto("/services");
  await page.getByRole("link", { name: SERVICE }).click();
  // The service's task table: desired and current state both running, per node.
  const runningOn = (host: string) =>
    page
      .getByRole("row")
      .filter({ hasText: host })
      .filter({ hasText: /running\s*running/ })
      .count();
  await expect
    .poll(() => runningOn("manager-1"), {
      timeout: 30_000,
      message: `the task table of ${SERVICE} should show its ${REPLICAS} tasks running on manager-1`,
    })
    .toBe(REPLICAS);
  expect(await runningOn("worker-1"), `running tasks of ${SERVICE} on worker-1 in its task table`).toBe(0);
  await screenshot(page, "12b-drained-service-tasks");
  await page.goto("/nodes");

  await worker.getByRole("button", { name: "Promote…" }).click();
  await page.getByRole("button", { name: "Promote", exact: true }).click();
  await worker.getByRole("button", { name: "Demote…" }).waitFor({ timeout: 60_000 });
  await expect
    .poll(() => worker.getByRole("cell").nth(1).textContent(), {
      timeout: 60_000,
      message: "worker-1 should show as a manager after the promotion",
    })
    .toMatch(/^manager/);

  await page
    .getByRole("row", { name: /manager-1/ })
    .getByRole("button", { name: "Demote…" })
    .click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText(/After this change: 1 manager: the swarm cannot lose it/).waitFor();
  await screenshot(page, "13-demote-quorum-warning");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("link", { name: "Events" }).click();
  await page
    .getByTestId("event-feed")
    .getByText(/node worker-1/)
    .first()
    .waitFor();
  await screenshot(page, "14-events");
  await page.getByRole("tab", { name: "Audit log" }).click();
  await page.getByText("user:admin").first().waitFor();
  await screenshot(page, "15-audit-log");

  // With two managers this node may now follow: user writes and deploys are forwarded to the leader.
  await mutate(page, "users.create", { name: VIEWER.user, role: "viewer", password: VIEWER.password });
  await mutate(page, "stacks.deploy", {
    name: STACK,
    files: [
      {
        name: "stack.yml",
        text: "services:\n  idle:\n    image: shoal-test/busybox:1\n    deploy:\n      replicas: 0\n",
      },
    ],
  });
  await viewerSeesNoChanges(browser, baseURL);
}

async function viewerSeesNoChanges(browser: Browser, baseURL: string): Promise<void> {
  const viewerContext = await newContext(browser, baseURL);
  // A failure here leaves failed-nodes-viewer.png of the viewer's page (scenario.ts shoots the admin's).
  await runScenario(viewerContext, "nodes-viewer", async (viewer) => {
    await logIn(viewer, VIEWER.user, VIEWER.password);
    const mutating =
      /^(Drain|Pause|Activate|Promote…|Demote…|Rotate token…|Create service|New stack|Scale|Update…|Rollback…|Remove…|Remove stack…|Deploy|Revert…)$/;
    for (const path of ["/swarm", "/nodes", "/services", "/stacks", `/stacks/${STACK}`]) {
      await viewer.goto(path);
      await viewer.getByRole("heading", { level: 1 }).waitFor();
      await viewer.waitForLoadState("networkidle");
      expect(await viewer.getByRole("button", { name: mutating }).count(), `buttons on ${path}`).toBe(0);
      expect(await viewer.getByRole("link", { name: mutating }).count(), `links on ${path}`).toBe(0);
    }
    await viewer.goto("/services");
    await viewer.getByRole("link", { name: SERVICE }).click();
    await viewer.getByRole("heading", { name: SERVICE }).waitFor();
    await replicasShown(viewer, SERVICE, `${REPLICAS}/${REPLICAS}`);
    expect(await viewer.getByRole("button", { name: mutating }).count()).toBe(0);
    await screenshot(viewer, "16-viewer-service");
  }).finally(() => viewerContext.close());
}

/**
 * Scenario 4: drain a node with a click → its tasks move; promote the worker → it shows as a
 * manager; demoting a manager shows the quorum warning; a viewer sees no mutating buttons.
 */
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { logIn, newContext, screenshot } from "../support/browser.ts";
import { STACK } from "./stack-deploy.ts";

const VIEWER = { user: "watcher", password: "only looking 123" };
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
  await page.getByRole("link", { name: "Nodes" }).click();
  const worker = page.getByRole("row", { name: /worker-1/ });
  await expect.poll(() => taskCount(page, "worker-1"), { timeout: 60_000 }).toBeGreaterThan(0);

  await worker.getByRole("button", { name: "Drain" }).click();
  await worker.getByText("drain", { exact: true }).waitFor();
  await expect.poll(() => taskCount(page, "worker-1"), { timeout: 90_000 }).toBe(0);
  await expect.poll(() => taskCount(page, "manager-1"), { timeout: 90_000 }).toBe(3);
  await screenshot(page, "12-nodes-drained");

  // The viewer is created while this node is sure to lead: with two managers, leadership can
  // move during the promotion, and user writes are not yet forwarded from a follower.
  const created = await page.request.post("/api/trpc/users.create", {
    data: { name: VIEWER.user, role: "viewer", password: VIEWER.password },
  });
  expect(created.status(), await created.text()).toBe(200);

  await worker.getByRole("button", { name: "Promote…" }).click();
  await page.getByRole("button", { name: "Promote", exact: true }).click();
  await worker.getByRole("button", { name: "Demote…" }).waitFor({ timeout: 60_000 });
  await expect
    .poll(() => worker.getByRole("cell").nth(1).textContent(), { timeout: 60_000 })
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

  const viewerContext = await newContext(browser, baseURL);
  const viewer = await viewerContext.newPage();
  await logIn(viewer, VIEWER.user, VIEWER.password);
  const mutating =
    /^(Drain|Pause|Activate|Promote…|Demote…|Rotate token…|Create service|New stack|Scale|Update…|Rollback…|Remove…|Remove stack…|Deploy|Revert…)$/;
  for (const path of ["/swarm", "/nodes", "/services", "/stacks", `/stacks/${STACK}`]) {
    await viewer.goto(path);
    await viewer.getByRole("heading", { level: 1 }).waitFor();
    await viewer.waitForLoadState("networkidle");
    expect(await viewer.getByRole("button", { name: mutating }).count(), path).toBe(0);
    expect(await viewer.getByRole("link", { name: mutating }).count(), path).toBe(0);
  }
  await viewer.goto("/services");
  await viewer.getByRole("link", { name: /shop_web/ }).click();
  await viewer.getByRole("heading", { level: 1 }).waitFor();
  expect(await viewer.getByRole("button", { name: mutating }).count()).toBe(0);
  await screenshot(viewer, "16-viewer-service");
  await viewerContext.close();
}

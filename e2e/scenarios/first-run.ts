/**
 * Scenario 1: first run → the admin is created with the swarm → the worker join command is copied
 * (read back from the clipboard) → a second node (`shoal daemon`) runs it → the node appears in
 * the nodes table without a reload.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "../support/browser.ts";
import { type NodeProcess, runCli } from "../support/node-process.ts";

export const ADMIN = { user: "admin", password: "correct horse battery" };

export async function firstRunAndJoin(
  page: Page,
  startWorker: () => Promise<NodeProcess>,
): Promise<NodeProcess> {
  await page.goto("/");
  await page.waitForURL("**/setup");
  await page.getByLabel("User name").fill(ADMIN.user);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create swarm" }).click();
  await page.waitForURL("**/swarm", { timeout: 60_000 });
  await page.getByText("Add a worker").waitFor();
  await screenshot(page, "01-swarm");

  await page
    .getByRole("button", { name: /^Copy: shoal swarm join/ })
    .first()
    .click();
  await page.getByText("Copied", { exact: true }).waitFor();
  const command = await page.evaluate(() => navigator.clipboard.readText());
  expect(command).toMatch(/^shoal swarm join --token \S+ 127\.0\.0\.1:\d+$/);

  await page.getByRole("link", { name: "Nodes" }).click();
  await page.getByRole("row", { name: /manager-1/ }).waitFor();
  const worker = await startWorker();
  const [, ...args] = command.split(" ");
  const out = runCli(["-H", worker.url, ...args]);
  expect(out).toContain("joined a swarm as a worker");

  const row = page.getByRole("row", { name: /worker-1/ });
  await row.waitFor({ timeout: 60_000 });
  await row.getByText("ready").waitFor({ timeout: 60_000 });
  await screenshot(page, "02-nodes-with-worker");
  return worker;
}

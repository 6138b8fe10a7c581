/**
 * What the dashboard shows of networks, on the stack the stacks scenario deployed: the service's
 * page lists its network with the service's VIP; that network's page lists every running task of
 * the service with its node and overlay address (`runningTasks` of them, all different), and the
 * service with the same VIP; the Networks section lists the network.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "../support/browser.ts";
import { STACK, STACK_SERVICE } from "./stack-deploy.ts";

const ADDRESS = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

export async function networkMembership(page: Page, runningTasks: number): Promise<void> {
  const network = `${STACK}_default`;
  await page.getByRole("link", { name: "Services" }).click();
  await page.getByRole("link", { name: STACK_SERVICE }).click();
  await page.getByRole("heading", { name: STACK_SERVICE }).waitFor();
  const vipCell = page.getByTestId(`vip-${network}`);
  await expect.poll(() => vipCell.textContent(), { timeout: 30_000 }).toMatch(ADDRESS);
  const vip = (await vipCell.textContent()) ?? "";
  await screenshot(page, "19-service-ports-and-networks");

  await page.getByTestId("service-endpoint").getByRole("link", { name: network }).click();
  await page.getByRole("heading", { name: network }).waitFor();
  const addresses = page.getByTestId("network-task-address");
  await expect.poll(() => addresses.count(), { timeout: 30_000 }).toBe(runningTasks);
  const shown = await addresses.allTextContents();
  expect(shown.every((a) => ADDRESS.test(a))).toBe(true);
  expect(new Set(shown).size).toBe(runningTasks);
  await page
    .getByRole("row", { name: new RegExp(`${STACK_SERVICE}.*${vip.replace(/[./]/g, "\\$&")}`) })
    .waitFor();
  await screenshot(page, "20-network-members");

  await page.getByRole("link", { name: "Networks" }).click();
  await page.getByRole("link", { name: network }).waitFor();
}

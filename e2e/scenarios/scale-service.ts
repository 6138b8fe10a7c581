/**
 * Scenario 3: scale a service up and down on its page; the replica count and the task rows follow
 * without a reload. Also: the create-service form explains a mistake as it is typed. Its own
 * service (`scale-demo`); needs only a running cluster.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "../support/browser.ts";
import { httpService, mutate } from "../support/dashboard-api.ts";
import { replicasShown } from "./stack-deploy.ts";

const SERVICE = "scale-demo";

async function runningTaskRows(page: Page): Promise<number> {
  return page
    .getByTestId("task-state")
    .filter({ hasText: /^running$/ })
    .count();
}

export async function scaleService(page: Page): Promise<void> {
  await page.goto("/services");
  await mutate(page, "services.create", { spec: httpService(SERVICE, 2) });
  await page.getByRole("link", { name: SERVICE }).waitFor();
  await screenshot(page, "08-services");

  await page.getByRole("link", { name: "Create service" }).click();
  await page.getByLabel("Name").fill("bad name!");
  await page.getByLabel("Replicas").fill("two");
  await page.getByText("a whole number").waitFor();
  await page.getByRole("button", { name: "Create service" }).click();
  await page.getByText("Fix the fields marked in red.").waitFor();
  await screenshot(page, "09-create-service-errors");

  await page.goto("/services");
  await page.getByRole("link", { name: SERVICE }).click();
  await page.getByRole("heading", { name: SERVICE }).waitFor();
  await replicasShown(page, SERVICE, "2/2");
  const scaleTo = async (n: number) => {
    await page.getByLabel("Replicas").fill(String(n));
    await page.getByRole("button", { name: "Scale", exact: true }).click();
    await replicasShown(page, SERVICE, `${n}/${n}`);
    await expect
      .poll(() => runningTaskRows(page), {
        timeout: 60_000,
        message: `the task table should list ${n} running tasks of ${SERVICE}`,
      })
      .toBe(n);
  };
  await scaleTo(4);
  await screenshot(page, "10-service-scaled-up");
  await scaleTo(3);
  await screenshot(page, "11-service-scaled-down");
}

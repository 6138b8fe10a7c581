/**
 * Scenario 2: a new stack typed with an error → the diagnostic at the right line → fixed → the
 * plan shows what deploying creates → deploy → replicas reach the desired count live; then edit
 * the replicas → the plan shows the change → deploy → two revisions → revert to the first.
 * Its own stack (`shop`); needs only a running cluster.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "../support/browser.ts";

export const STACK = "shop";
export const STACK_SERVICE = "shop_web";

const stackFile = (replicas: string) => `services:
  web:
    image: shoal-test/busybox:1
    command: ["httpd", "-f", "-p", "80"]
    deploy:
      replicas: ${replicas}
`;

export async function replaceEditorText(page: Page, text: string): Promise<void> {
  const editor = page.locator(".cm-content");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // insertText types the whole file as one input: the editor's auto-indent does not re-indent it.
  await page.keyboard.insertText(text);
}

export async function replicasShown(page: Page, service: string, expected: string): Promise<void> {
  await expect
    .poll(() => page.getByTestId(`replicas-${service}`).first().textContent(), {
      timeout: 90_000,
      message: `service ${service} should show ${expected} replicas running`,
    })
    .toBe(expected);
}

export async function deployStack(page: Page): Promise<void> {
  await page.goto("/stacks");
  await page.getByRole("heading", { name: "Stacks", level: 1 }).waitFor();
  await screenshot(page, "03-stacks");
  await page.getByRole("link", { name: "New stack" }).first().click();
  await page.getByLabel("Stack name").fill(STACK);

  await replaceEditorText(page, stackFile("two"));
  const diagnostics = page.getByTestId("diagnostics");
  await diagnostics.getByText(/line 6:\d+/).waitFor();
  await expect.poll(() => page.locator(".cm-lintRange-error").count()).toBeGreaterThan(0);
  await screenshot(page, "04-stack-editor-error");

  await replaceEditorText(page, stackFile("2"));
  const plan = page.getByTestId("stack-plan");
  await plan.getByText("create").first().waitFor();
  await plan.getByText("web").first().waitFor();
  await expect(await diagnostics.count()).toBe(0);
  await screenshot(page, "05-stack-plan");
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.waitForURL(`**/stacks/${STACK}`);
  await replicasShown(page, STACK_SERVICE, "2/2");

  await page.getByRole("heading", { name: /Stack file \(revision 1\)/ }).waitFor();
  await replaceEditorText(page, stackFile("3"));
  await plan.getByText("update").first().waitFor();
  await plan
    .getByText(/replicas/)
    .first()
    .waitFor();
  await screenshot(page, "06-stack-update-plan");
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.getByRole("heading", { name: /Stack file \(revision 2\)/ }).waitFor();
  await replicasShown(page, STACK_SERVICE, "3/3");
  const revisions = page.getByTestId("revisions");
  await revisions.getByText("Revision 2").waitFor();
  await revisions.getByText("Revision 1").waitFor();

  await revisions.getByRole("button", { name: "Diff against current" }).click();
  await revisions.getByText(/Reverting to revision 1 would change/).waitFor();
  await revisions.getByRole("button", { name: "Revert…" }).click();
  await page.getByRole("button", { name: "Revert", exact: true }).click();
  await revisions.getByText("Revision 3").waitFor();
  await replicasShown(page, STACK_SERVICE, "2/2");
  await screenshot(page, "07-stack-page");
}

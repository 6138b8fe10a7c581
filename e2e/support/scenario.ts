/**
 * Runs one scenario in its own page of the admin's browser context. A failure leaves a full-page
 * screenshot (`failed-<name>.png`) and names it, with the page's address, in the error.
 */
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, screenshot } from "./browser.ts";

export async function runScenario(
  context: BrowserContext,
  name: string,
  run: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await context.newPage();
  try {
    await run(page);
  } catch (error) {
    const shot = `failed-${name}`;
    const where = page.url();
    await screenshot(page, shot).catch(() => {});
    if (error instanceof Error) {
      error.message = `${error.message}\n[scenario ${name}] at ${where}; screenshot: ${join(ARTIFACTS, `${shot}.png`)}`;
    }
    throw error;
  } finally {
    await page.close().catch(() => {});
  }
}

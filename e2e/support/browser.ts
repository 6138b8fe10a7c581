/** Debian's Chromium driven by playwright-core, with the flags that work on these machines. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
const CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const LAPTOP = { width: 1280, height: 800 };
export const TABLET = { width: 768, height: 1024 };

/** A context (laptop-sized unless told) that may read the clipboard (the join command is copied from it). */
export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = LAPTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  context.setDefaultTimeout(30_000);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL("**/swarm");
}

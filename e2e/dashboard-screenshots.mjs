// Drives the dashboard of a running node in Debian's Chromium and saves a screenshot of each page
// under e2e/artifacts/. The node must be new (no swarm): the script creates the swarm.
// Usage: node e2e/dashboard-screenshots.mjs http://127.0.0.1:8099
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const out = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
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
const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
const shot = async (name) => {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  console.log(`saved ${name}.png`);
};

await page.goto(base);
await page.waitForURL("**/setup");
await page.getByText("Create a swarm").first().waitFor();
await shot("01-setup");
await page.getByLabel("Password").fill("correct horse");
await page.getByRole("button", { name: "Create swarm" }).click();
await page.waitForURL("**/swarm", { timeout: 30_000 });
await page.getByText("Add a worker").waitFor();
await shot("02-swarm");
await page.getByRole("button", { name: "Rotate token…" }).first().click();
await shot("03-rotate-dialog");
await page.getByRole("button", { name: "Cancel" }).first().click();
await page.getByRole("link", { name: "Nodes" }).click();
await page.getByRole("button", { name: "Drain" }).first().waitFor();
await shot("04-nodes");
await page.getByRole("button", { name: "Pause" }).first().click();
await page.getByText("availability set to pause").waitFor();
await shot("05-nodes-paused-live");
await page.getByRole("button", { name: "Demote…" }).first().click();
await shot("06-demote-dialog");
await page.getByRole("button", { name: "Demote", exact: true }).click();
await page
  .getByText(/cannot|last manager|demote/i)
  .last()
  .waitFor();
await shot("07-demote-refused");
await page.getByRole("link", { name: "Services" }).click();
await shot("08-services-placeholder");
await page.getByRole("button", { name: "Log out" }).click();
await page.waitForURL("**/login");
await page.getByLabel("Password").fill("wrong password");
await page.getByLabel("User name").fill("admin");
await page.getByRole("button", { name: "Log in" }).click();
await page.getByText("Could not log in").waitFor();
await shot("09-login-error");
await browser.close();

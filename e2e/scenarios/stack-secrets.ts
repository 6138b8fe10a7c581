/**
 * Scenario: a stack whose secret and config come from files, deployed from the editor. The editor
 * lists the files the deploy must send; deploying without them shows the server's refusal, which
 * names the file; the secret's text is pasted, the config's file uploaded, and the deploy creates
 * both (the config's content, which the API shows, is the uploaded file's). Its own stack (`vault`).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "../support/browser.ts";
import { query } from "../support/dashboard-api.ts";
import { replaceEditorText, replicasShown } from "./stack-deploy.ts";

const STACK = "vault";
const SERVICE = `${STACK}_web`;
const TOKEN = "s3cret-from-the-editor";
const SITE_CONF = "listen 80;\nserver_name vault.example;\n";

const STACK_FILE = `services:
  web:
    image: shoal-test/busybox:1
    command: ["httpd", "-f", "-p", "80"]
    secrets: [token]
    configs: [site]
secrets:
  token:
    file: ./token.txt
configs:
  site:
    file: ./site.conf
`;

export async function deployStackWithSecret(page: Page): Promise<void> {
  await page.goto("/stacks/new");
  await page.getByLabel("Stack name").fill(STACK);
  await replaceEditorText(page, STACK_FILE);

  const files = page.getByTestId("stack-files");
  await files.getByText("secret token", { exact: true }).waitFor();
  await files.getByText("./token.txt", { exact: true }).waitFor();
  await files.getByText("config site", { exact: true }).waitFor();
  await expect.poll(() => files.getByText("Content needed").count()).toBe(2);

  await page.getByRole("button", { name: "Deploy" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: /content was not sent/ });
  await refusal.getByText(/secret "token" \(file .*token\.txt\)/).waitFor();
  await screenshot(page, "17-stack-files-missing");

  await files.getByLabel("Or paste the content of secret token").fill(TOKEN);
  await files.getByText(`Content given: ${TOKEN.length} B`).waitFor();
  await files.getByLabel("Upload ./site.conf for config site").setInputFiles({
    name: "site.conf",
    mimeType: "text/plain",
    buffer: Buffer.from(SITE_CONF),
  });
  await files.getByText(`Content given: ${SITE_CONF.length} B`).waitFor();
  await screenshot(page, "18-stack-files-given");
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.waitForURL(`**/stacks/${STACK}`);
  await replicasShown(page, SERVICE, "1/1");

  const secrets = await query<{ items: { spec: { name: string } }[] }>(page, "secrets.list");
  expect(
    secrets.items.map((s) => s.spec.name),
    "the deploy creates the stack's secret",
  ).toContain(`${STACK}_token`);
  const configs = await query<{ items: { spec: { name: string; data: string } }[] }>(page, "configs.list");
  const site = configs.items.find((c) => c.spec.name === `${STACK}_site`);
  expect(site, "the deploy creates the stack's config").toBeDefined();
  expect(Buffer.from(site?.spec.data ?? "", "base64").toString("utf8")).toBe(SITE_CONF);
}

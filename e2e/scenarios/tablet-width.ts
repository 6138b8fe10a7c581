/**
 * Scenario: the main pages at tablet width (768×1024), logged in as the admin. On each: the page
 * body does not scroll sideways, every section of the navigation is on screen and opens its page,
 * and wide tables scroll inside their own container. Screenshots: e2e/artifacts/tablet-*.png.
 * Its own service (`tablet-web`) and stack (`tablet`), so the tables have rows.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { logIn, screenshot } from "../support/browser.ts";
import { httpService, mutate } from "../support/dashboard-api.ts";
import { ADMIN } from "./first-run.ts";

const SERVICE = "tablet-web";
const STACK = "tablet";
const NAV = ["Swarm", "Nodes", "Services", "Stacks", "Networks", "Events"];

interface WidthReport {
  viewport: number;
  pageWidth: number;
  /** Elements that reach past the right edge outside any sideways-scrolling container. */
  overflowing: string[];
  /** Tables not inside a container that scrolls sideways within the viewport. */
  looseTables: string[];
}

function widthReport(): WidthReport {
  const viewport = document.documentElement.clientWidth;
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.getAttribute("class") ?? "")
      .split(/\s+/)
      .slice(0, 4)
      .join(".")} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
  // A container that scrolls sideways (or, for the page-width check, also one that clips).
  const scroller = (el: Element, clipping = true): Element | undefined => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll" || (clipping && x === "hidden")) return p;
    }
    return undefined;
  };
  const overflowing = Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > viewport + 1 && scroller(el) === undefined)
    .slice(0, 5)
    .map(describe);
  const looseTables = Array.from(document.querySelectorAll("table"))
    .filter((t) => {
      const box = scroller(t, false);
      return box === undefined || box.getBoundingClientRect().right > viewport + 1;
    })
    .map(describe);
  return { viewport, pageWidth: document.documentElement.scrollWidth, overflowing, looseTables };
}

async function checkPage(page: Page, path: string, shot: string): Promise<void> {
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.waitForLoadState("networkidle");
  const report = await page.evaluate(widthReport);
  expect(
    report.pageWidth,
    `${path} scrolls sideways at ${report.viewport}px: ${report.overflowing.join("; ")}`,
  ).toBeLessThanOrEqual(report.viewport);
  expect(report.looseTables, `tables on ${path} that do not scroll in their own container`).toEqual([]);
  const nav = page.getByRole("navigation");
  for (const label of NAV) {
    const link = nav.getByRole("link", { name: label, exact: true });
    const box = await link.boundingBox();
    expect(box, `the ${label} link on ${path} should be visible`).not.toBeNull();
    expect(
      (box?.x ?? 0) + (box?.width ?? 0),
      `the ${label} link on ${path} should be on screen`,
    ).toBeLessThanOrEqual(report.viewport);
  }
  await screenshot(page, `tablet-${shot}`);
}

/** `page`: in a tablet-sized context (support/browser.ts TABLET), not logged in yet. */
export async function tabletWidth(page: Page): Promise<void> {
  await logIn(page, ADMIN.user, ADMIN.password);
  await mutate(page, "services.create", { spec: httpService(SERVICE, 1) });
  await mutate(page, "stacks.deploy", {
    name: STACK,
    files: [
      {
        name: "stack.yml",
        text: "services:\n  api:\n    image: shoal-test/busybox:1\n    deploy:\n      replicas: 0\n",
      },
    ],
  });
  for (const [path, shot] of [
    ["/swarm", "swarm"],
    ["/nodes", "nodes"],
    ["/services", "services"],
    ["/stacks", "stacks"],
    [`/stacks/${STACK}`, "stack"],
    ["/networks", "networks"],
    ["/events", "events"],
  ] as const) {
    await page.goto(path);
    await checkPage(page, path, shot);
  }
  await page.goto("/services");
  await page.getByRole("link", { name: SERVICE }).click();
  await page.getByRole("heading", { name: SERVICE }).waitFor();
  await checkPage(page, `service ${SERVICE}`, "service");

  // The navigation works from here: each section opens.
  for (const label of NAV) {
    await page.getByRole("navigation").getByRole("link", { name: label, exact: true }).click();
    await page.waitForURL(`**/${label.toLowerCase()}`);
  }
}

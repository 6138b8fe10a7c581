import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { filesystemOf } from "./mount-filesystem.ts";

const dir = mkdtempSync(join(tmpdir(), "mount-fs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mountinfo(lines: string[]): string {
  const path = join(dir, `mountinfo-${lines.length}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("filesystemOf", () => {
  it("takes the longest mount point above the path, the last one mounted at the same point", async () => {
    const target = join(dir, "with space");
    mkdirSync(target);
    const escaped = target.replaceAll(" ", "\\040");
    const info = mountinfo([
      "1 0 8:1 / / rw - ext4 /dev/sda1 rw",
      `2 1 0:5 / ${dir} rw - xfs none rw`,
      `3 2 0:6 / ${escaped} rw - ext4 none rw`,
      `4 2 0:7 / ${escaped} rw shared:1 - tmpfs tmpfs rw`,
      `5 1 0:8 / ${dir}-other rw - nfs none rw`,
    ]);
    expect(await filesystemOf(target, info)).toBe("tmpfs");
    expect(await filesystemOf(dir, info)).toBe("xfs");
    expect(await filesystemOf("/", info)).toBe("ext4");
  });

  it("reads this process's real mount table", async () => {
    expect(await filesystemOf("/proc")).toBe("proc");
  });
});

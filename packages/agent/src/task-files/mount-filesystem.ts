/** Which filesystem holds a directory, from /proc/self/mountinfo (the longest mount point above it). */
import { readFile, realpath } from "node:fs/promises";

/** The filesystem type ("tmpfs", "ext4", ...) of the mount holding `path`; "unknown" if none matches. */
export async function filesystemOf(path: string, mountinfo = "/proc/self/mountinfo"): Promise<string> {
  const real = await realpath(path);
  const text = await readFile(mountinfo, "utf8");
  let best = { point: "", type: "unknown" };
  for (const line of text.split("\n")) {
    // "36 35 98:0 /root /mnt rw,noatime master:1 - ext3 /dev/root rw": point = field 5, type after " - ".
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const point = unescapeMountPath(left.split(" ")[4] ?? "");
    const type = right.split(" ")[0] ?? "unknown";
    const inside = point === "/" || real === point || real.startsWith(`${point}/`);
    // Later lines are mounted over earlier ones at the same point.
    if (inside && point.length >= best.point.length) best = { point, type };
  }
  return best.type;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

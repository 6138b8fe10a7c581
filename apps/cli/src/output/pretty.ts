/** `inspect --pretty`: docker's aligned `Key: value` blocks, one-space indent per section. */
export type PrettyEntry =
  | readonly [label: string, value: string | number | undefined]
  | readonly [section: string];

export const PRETTY_LABEL_WIDTH = 24;

export function formatPretty(entries: readonly PrettyEntry[]): string {
  return entries
    .filter((e) => e.length === 1 || (e[1] !== undefined && e[1] !== ""))
    .map((e) =>
      e.length === 1
        ? e[0].includes(" = ")
          ? e[0]
          : `${e[0]}:`
        : `${`${e[0]}:`.padEnd(PRETTY_LABEL_WIDTH)}${e[1]}`,
    )
    .join("\n");
}

/** Bytes as docker prints them (binary units: 512MiB, 3.8GiB). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1).replace(/\.0$/, "")}${units[i]}`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

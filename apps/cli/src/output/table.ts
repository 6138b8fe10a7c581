/**
 * Tables shaped like docker's (its tabwriter: minimum cell width 10, padding 3, left aligned, the
 * last column unpadded).
 */
export const TABLE_MIN_WIDTH = 10;
export const TABLE_PADDING = 3;

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(TABLE_MIN_WIDTH, ...all.map((r) => (r[i] ?? "").length + TABLE_PADDING)),
  );
  return all
    .map((row) =>
      header
        .map((_, i) => (i === header.length - 1 ? (row[i] ?? "") : (row[i] ?? "").padEnd(widths[i] ?? 0)))
        .join("")
        .trimEnd(),
    )
    .join("\n");
}

/** docker's short ids: the first 12 characters unless --no-trunc. */
export function shortId(id: string, noTrunc = false): string {
  return noTrunc ? id : id.slice(0, 12);
}

/** Truncates with an ellipsis (docker's `…`) unless noTrunc. */
export function ellipsis(text: string, max: number, noTrunc = false): string {
  if (noTrunc || text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** Display formats shared by tables. */
export function formatBytes(bytes: number): string {
  if (!bytes) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatCpus(nanoCpus: number): string {
  if (!nanoCpus) return "–";
  const cpus = nanoCpus / 1e9;
  return `${Number.isInteger(cpus) ? cpus : cpus.toFixed(1)} CPU${cpus === 1 ? "" : "s"}`;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

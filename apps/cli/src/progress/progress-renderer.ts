/**
 * Prints convergence like docker: `overall progress: 2 out of 3 tasks`, a line per slot with a
 * bar, then `verify: ...`. On a terminal the block is redrawn in place; otherwise only lines that
 * changed are printed, so logs and tests read like a transcript.
 */
import type { Convergence } from "./convergence.ts";

export const PROGRESS_BAR_WIDTH = 50;

export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export function progressLines(c: Convergence, verify?: string): string[] {
  const labelWidth = Math.max(0, ...c.slots.map((s) => s.label.length));
  const lines = [`overall progress: ${c.running} out of ${c.desired} tasks`];
  for (const slot of c.slots) {
    const state = slot.state.padEnd(10);
    const filled = Math.round(slot.fraction * PROGRESS_BAR_WIDTH);
    const bar = `[${"=".repeat(Math.max(0, filled - 1))}${filled > 0 ? ">" : ""}${" ".repeat(PROGRESS_BAR_WIDTH - filled)}]`;
    const note = slot.note ? ` ${slot.note}` : "";
    lines.push(`${slot.label.padEnd(labelWidth)}: ${state} ${bar}${note}`);
  }
  if (c.reason && c.state === "progress") lines.push(`update: ${c.reason}`);
  if (verify) lines.push(`verify: ${verify}`);
  return lines;
}

export class ProgressRenderer {
  private drawn: string[] = [];
  private readonly printed = new Map<string, string>();

  constructor(private readonly out: Output) {}

  header(name: string): void {
    this.out.write(`${name}\n`);
  }

  render(c: Convergence, verify?: string): void {
    const lines = progressLines(c, verify);
    if (this.out.isTTY) {
      if (this.drawn.length > 0) this.out.write(`\x1b[${this.drawn.length}A`);
      this.out.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
      this.drawn = lines;
      return;
    }
    for (const line of lines) {
      const key = line.slice(0, line.indexOf(":"));
      const plain = line.replace(/ \[[=> ]+\]/, "").trimEnd();
      if (this.printed.get(key) === plain) continue;
      this.printed.set(key, plain);
      this.out.write(`${plain}\n`);
    }
  }
}

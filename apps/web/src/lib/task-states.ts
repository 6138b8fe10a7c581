/**
 * Task states as numbers in swarm's order (TaskState in @shoal/store; the client imports no store
 * code) and how the dashboard shows them.
 */
import type { Tone } from "@/components/badge.tsx";

export const TASK_STATE = {
  new: 0,
  pending: 64,
  assigned: 192,
  accepted: 256,
  preparing: 320,
  ready: 384,
  starting: 448,
  running: 512,
  complete: 576,
  shutdown: 640,
  failed: 704,
  rejected: 768,
  remove: 800,
  orphaned: 832,
} as const;

const NAMES = new Map<number, string>(Object.entries(TASK_STATE).map(([name, n]) => [n, name]));

export function taskStateName(state: number): string {
  return NAMES.get(Number(state)) ?? `unknown(${state})`;
}

export function taskStateTone(state: number): Tone {
  const s = Number(state);
  if (s === TASK_STATE.running) return "good";
  if (s === TASK_STATE.failed || s === TASK_STATE.rejected || s === TASK_STATE.orphaned) return "bad";
  if (s === TASK_STATE.pending) return "warn";
  if (s < TASK_STATE.running) return "info";
  return "neutral";
}

/** Desired running (or ready for a start-first update): the task counts toward the service. */
export function isDesiredRunning(desiredState: number): boolean {
  return Number(desiredState) <= TASK_STATE.running;
}

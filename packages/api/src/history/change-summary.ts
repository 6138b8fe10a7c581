import type { Change, ChangeBatch } from "@shoal/store";
import { parseActor } from "../control/actor.ts";

/** Kinds whose changes become history events (the session key never does). */
const EVENT_KINDS = new Set([
  "node",
  "service",
  "task",
  "network",
  "secret",
  "config",
  "user",
  "apiToken",
  "stackRevision",
]);

export interface AuditRow {
  readonly raftIndex: number;
  readonly timeMs: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly result: "committed";
  readonly changeCount: number;
}

export interface EventRow {
  readonly raftIndex: number;
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: string;
  readonly action: string;
  readonly objectId: string;
  readonly name: string;
  readonly actor: string | null;
  readonly detail: Record<string, unknown>;
}

/** The audit row of a committed batch: only batches that carry an actor (people and tokens). */
export function auditRowOf(batch: ChangeBatch): AuditRow | undefined {
  if (batch.actor === undefined) return undefined;
  const first = batch.changes[0];
  const { who, procedure } = parseActor(batch.actor);
  const more = batch.changes.length > 1 ? ` (+${batch.changes.length - 1} more)` : "";
  return {
    raftIndex: batch.version,
    timeMs: batch.timeMs,
    actor: who,
    action: procedure ?? (first === undefined ? "unknown" : `${first.kind}.${first.action}`),
    target: first === undefined ? "" : `${first.kind} ${nameOf(first)}${more}`,
    result: "committed",
    changeCount: batch.changes.length,
  };
}

/**
 * The events of a batch: every change of the kinds above, except task updates that leave the
 * task's state and desired state as they were (those are frequent and say nothing new).
 */
export function eventRowsOf(batch: ChangeBatch): EventRow[] {
  const actor = batch.actor === undefined ? null : parseActor(batch.actor).who;
  const rows: EventRow[] = [];
  batch.changes.forEach((change, seq) => {
    if (!EVENT_KINDS.has(change.kind)) return;
    if (change.kind === "task" && change.action === "update" && change.old !== undefined) {
      const same =
        change.old.status.state === change.object.status.state &&
        change.old.desiredState === change.object.desiredState;
      if (same) return;
    }
    rows.push({
      raftIndex: batch.version,
      seq,
      timeMs: batch.timeMs,
      kind: change.kind,
      action: change.action,
      objectId: change.object.id,
      name: nameOf(change),
      actor,
      detail: detailOf(change),
    });
  });
  return rows;
}

function nameOf(change: Change): string {
  switch (change.kind) {
    case "node":
      return change.object.description?.hostname ?? change.object.id;
    case "task":
      return `${change.object.serviceId}.${change.object.slot || change.object.nodeId}`;
    case "sessionKey":
      return "session key";
    default:
      return change.object.spec.name;
  }
}

/** A small summary; never secret data, password hashes or token hashes. */
function detailOf(change: Change): Record<string, unknown> {
  switch (change.kind) {
    case "node":
      return {
        state: change.object.status.state,
        availability: change.object.spec.availability,
        role: change.object.spec.role,
      };
    case "service": {
      const mode = change.object.spec.mode;
      return {
        replicas: "replicated" in mode ? mode.replicated.replicas : undefined,
        mode: "replicated" in mode ? "replicated" : "global",
        updateState: change.object.updateStatus?.state,
      };
    }
    case "task":
      return {
        state: change.object.status.state,
        desiredState: change.object.desiredState,
        message: change.object.status.message,
        nodeId: change.object.nodeId,
        serviceId: change.object.serviceId,
      };
    case "user":
      return { role: change.object.spec.role, disabled: change.object.spec.disabled };
    case "apiToken":
      return { userId: change.object.spec.userId, role: change.object.spec.role };
    case "stackRevision": {
      const { revision, created, updated, pruned } = change.object.spec;
      return { revision, created, updated, pruned };
    }
    default:
      return {};
  }
}

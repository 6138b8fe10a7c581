/**
 * `swarm init --force-new-cluster`: rewrites a manager's Raft state so that it is the only member,
 * keeping everything committed (services, tasks, nodes). The committed log is replayed into a
 * store, the old WAL directory is kept aside as `raft.old-<time>`, and a new WAL is written with
 * one snapshot at the last committed index whose membership is this member alone. The manager
 * then starts from it and elects itself.
 */
import { rename } from "node:fs/promises";
import { EntryType, type Logger, unwrapCommand } from "@shoal/raft";
import { openWal, type RecordCipher } from "@shoal/raft/wal";
import { Store } from "@shoal/store";

export async function rewriteAsSingleMember(
  walDir: string,
  raftId: number,
  logger: Logger,
  cipher: RecordCipher,
): Promise<void> {
  const { wal, state } = await openWal(walDir, { logger, cipher });
  const store = new Store({});
  const commit = state.hardState.commit;
  let term = state.snapshot?.metadata.term ?? 0;
  let index = state.snapshot?.metadata.index ?? 0;
  if (state.snapshot) store.restore(state.snapshot.data);
  for (const entry of state.entries) {
    if (entry.index > commit || entry.index <= index) continue;
    if (entry.type === EntryType.Normal && entry.data.length > 0) {
      store.apply(unwrapCommand(entry.data).command, entry);
    }
    term = entry.term;
    index = entry.index;
  }
  await wal.close();
  const aside = `${walDir}.old-${Date.now()}`;
  await rename(walDir, aside);
  const fresh = await openWal(walDir, { logger, cipher });
  await fresh.wal.saveSnapshot({
    metadata: {
      index,
      term,
      confState: { voters: [raftId], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
    },
    data: store.snapshot(),
  });
  await fresh.wal.save({ term: state.hardState.term, vote: 0, commit: index }, [], true);
  await fresh.wal.close();
  logger.warn("force-new-cluster: Raft membership rewritten to this manager alone", {
    raftId,
    index,
    oldWal: aside,
  });
}

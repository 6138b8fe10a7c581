/** Elections: starting a campaign, counting votes, and deciding whether to grant one. */
import { message } from "../codec.ts";
import { EntryType, type Message, MessageType, NO_NODE, type NodeId, Role } from "../types.ts";
import { VoteResult } from "./quorum.ts";
import { CAMPAIGN_TRANSFER, type CampaignType, type Raft } from "./raft.ts";

const EMPTY = new Uint8Array(0);

export function hup(r: Raft, t: CampaignType): void {
  if (r.role === Role.Leader) return;
  if (!r.promotable()) {
    r.logger.debug("not promotable: not campaigning", { id: r.id });
    return;
  }
  if (hasUnappliedConfChanges(r)) {
    r.logger.debug("unapplied conf changes: not campaigning", { id: r.id });
    return;
  }
  campaign(r, t);
}

function hasUnappliedConfChanges(r: Raft): boolean {
  if (r.log.applied >= r.log.committed) return false;
  const ents = r.log.slice(Math.max(r.log.applied + 1, r.log.firstIndex()), r.log.committed + 1, Infinity);
  return ents.some((e) => e.type === EntryType.ConfChange);
}

export function campaign(r: Raft, t: CampaignType): void {
  let voteType: MessageType;
  let term: number;
  if (t === "pre-election") {
    r.becomePreCandidate();
    voteType = MessageType.PreVote;
    term = r.term + 1; // the term we would campaign in; ours does not change yet
  } else {
    r.becomeCandidate();
    voteType = MessageType.Vote;
    term = r.term;
  }
  const respType = voteType === MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
  if (poll(r, r.id, respType, true) === VoteResult.Won) {
    // A single voter wins at once.
    if (t === "pre-election") campaign(r, "election");
    else r.becomeLeader();
    return;
  }
  const context = t === "transfer" ? CAMPAIGN_TRANSFER : EMPTY;
  for (const id of r.trk.voterIds()) {
    if (id === r.id) continue;
    r.send(
      message({
        type: voteType,
        to: id,
        term,
        index: r.log.lastIndex(),
        logTerm: r.log.lastTerm(),
        context,
      }),
    );
  }
}

export function poll(r: Raft, id: NodeId, t: MessageType, granted: boolean): VoteResult {
  r.logger.debug("vote", { id: r.id, from: id, type: MessageType[t], granted, term: r.term });
  r.trk.recordVote(id, granted);
  return r.trk.tallyVotes().result;
}

export function handleVoteRequest(r: Raft, m: Message): void {
  const canVote =
    r.vote === m.from ||
    (r.vote === NO_NODE && r.lead === NO_NODE) ||
    (m.type === MessageType.PreVote && m.term > r.term);
  const respType = m.type === MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
  if (canVote && r.log.isUpToDate(m.index, m.logTerm)) {
    // A pre-vote is answered at the pre-candidate's future term, so it is not ignored as stale.
    r.send(message({ type: respType, to: m.from, term: m.term }));
    if (m.type === MessageType.Vote) {
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    r.send(message({ type: respType, to: m.from, term: r.term, reject: true }));
  }
}

/**
 * The registry's own messages: timers that read governance and deployed modules, recount, keep
 * trust lists up to date and certify. Each piece of work runs in a message of its own, so no
 * update waits on (or fails with) another canister, and each stays within its instruction limit.
 * The canister class (`index.ts`) only says when something happened.
 */
import { canisterCycleBalance, setTimer, setTimerInterval, time } from 'azle';

import type { ReadOutcome } from './core/governance';
import { DEFAULT_REFRESH_SECONDS, RERENDER_PER_MESSAGE, type Registry } from './core/registry';
import type { CertifiedRegistry } from './certified/certified-registry';
import { readDeployedModule } from './deployed';
import { readProposal } from './governance';

/** Open proposals read again per timer tick: bounded work however many there are. */
const REFRESH_PER_TICK = 5;
/** Unconfirmed proposals read per timer tick (each gets a few reads in all: `PENDING_TIMER_READS`). */
const PENDING_READS_PER_TICK = 2;
/** Executed canister installs whose target's module is read per timer tick. */
const DEPLOYED_READS_PER_TICK = 2;

export class Background {
  private backgroundScheduled = false;
  private certificationScheduled = false;
  /** Proposals whose first read is scheduled (heap only: a lost entry is re-read by the timer). */
  private readonly scheduledReads = new Set<bigint>();

  constructor(
    private readonly registry: Registry,
    private readonly certified: CertifiedRegistry,
  ) {}

  /** The refresh timer. Timers live in the heap: started again after every upgrade. */
  start(): void {
    setTimerInterval(this.registry.meta().refreshSeconds ?? DEFAULT_REFRESH_SECONDS, () =>
      this.refreshOpenProposals(),
    );
  }

  /** Reads a proposal from governance and records what came back; never throws. */
  async syncFromGovernance(proposalId: bigint): Promise<ReadOutcome | null> {
    const governance = this.registry.meta().governanceCanisterId;
    if (governance === null) return null;
    const outcome = await readProposal(governance, proposalId);
    const proposal = this.registry.recordProposalRead({ proposalId, now: time(), outcome });
    this.registry.noteEvents({ proposalIds: [proposalId], now: time() });
    this.certified.state.noteProposalRead({ proposal: proposal ?? undefined, at: time() });
    this.scheduleCertification();
    // Just executed (or first seen executed): read what the target runs now.
    if (proposal?.deployed?.state === 'due')
      await this.checkDeployed(proposalId, proposal.deployed.canisterId);
    // A confirmation may leave counting to do (more held attestations than one message counts).
    this.scheduleBackgroundWork();
    return outcome;
  }

  /** Reads the module an executed install's target runs (`core/deployed.ts`); never throws. */
  async checkDeployed(proposalId: bigint, canisterId: string): Promise<void> {
    const outcome = await readDeployedModule(canisterId);
    if (this.registry.recordDeployedRead({ proposalId, now: time(), outcome }) === null) return;
    this.certified.state.noteSummary(proposalId);
    this.scheduleCertification();
  }

  /** Reads an unconfirmed proposal from governance in a message of its own. */
  scheduleRead(proposalId: bigint): void {
    if (this.registry.meta().governanceCanisterId === null || this.scheduledReads.has(proposalId))
      return;
    this.scheduledReads.add(proposalId);
    setTimer(0, async () => {
      try {
        await this.syncFromGovernance(proposalId);
      } finally {
        this.scheduledReads.delete(proposalId);
      }
    });
  }

  /** Walks (recounts) and trust-list upkeep, in messages of their own until done. */
  scheduleBackgroundWork(): void {
    if (this.backgroundScheduled || !this.registry.hasBackgroundWork()) return;
    this.backgroundScheduled = true;
    setTimer(0, () => {
      this.backgroundScheduled = false;
      this.doBackgroundWork();
      this.scheduleBackgroundWork();
    });
  }

  /** Logs and certifies what updates noted, in a message of its own (see `certified/`). */
  scheduleCertification(): void {
    if (this.certificationScheduled || !this.certified.hasWork()) return;
    this.certificationScheduled = true;
    setTimer(0, () => {
      this.certificationScheduled = false;
      this.certified.certify();
      this.scheduleCertification();
    });
  }

  /**
   * The refresh timer: a few open proposals per tick, round robin, and a few reads of
   * unconfirmed ones; unfinished walks and trust-list work continue. Paused while cycles run low.
   */
  private async refreshOpenProposals(): Promise<void> {
    if (!this.registry.checkCycles(canisterCycleBalance()).ok) return;
    this.doBackgroundWork();
    if (this.registry.meta().governanceCanisterId === null) return;
    const due = [
      ...this.registry.openProposalsToRefresh(REFRESH_PER_TICK),
      ...this.registry.pendingProposalsToRead(PENDING_READS_PER_TICK),
    ];
    for (const id of due) await this.syncFromGovernance(id);
    for (const check of this.registry.deployedChecksDue(DEPLOYED_READS_PER_TICK))
      await this.checkDeployed(check.proposalId, check.canisterId);
    // What runs now on canisters installed by executed proposals, read again once a day: an
    // upgrade outside governance shows as "was deployed, since replaced".
    for (const check of this.registry.deployedRechecksDue({ now: time(), max: 1 }))
      await this.checkDeployed(check.proposalId, check.canisterId);
  }

  private doBackgroundWork(): void {
    const walked = [...this.registry.meta().staleRenderings];
    this.registry.renderStale(RERENDER_PER_MESSAGE);
    // What the lists counted is certified again (their scoped summaries, `certified-scopes.ts`).
    const counted = { proposals: new Set<bigint>(), lists: new Set<bigint>() };
    this.registry.processTrustListWork(undefined, {
      proposal: (id) => counted.proposals.add(id),
      list: (id) => counted.lists.add(id),
    });
    const listsChanged = counted.proposals.size + counted.lists.size > 0;
    if (listsChanged) this.certified.state.scopes?.note(counted);
    for (const id of walked) this.certified.state.noteSummary(BigInt(id));
    this.registry.noteEvents({ proposalIds: walked.map(BigInt), now: time() });
    if (walked.length > 0 || listsChanged) this.scheduleCertification();
  }
}

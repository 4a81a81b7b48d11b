/**
 * Proofs of the registry's ordinary reads (`certified` in their answers): the data certificate
 * and one witness pruned to `log` and what the answer holds — `proposal/<id>` per summary,
 * `attestation/<id>` per attestation, and for a proposal's page its certified count and the
 * items' positions. Built from the current certified tree: an answer read
 * from state changed by an update whose certification has not run yet does not match its
 * witness, and the reader reads again (certification follows in the next message).
 */
import { dataCertificate } from 'azle';
import { encodeHashTree, pathRequestOf, type Label } from '@repro-registry/certification';
import { LABELS, u64Label } from '@repro-registry/transparency-log';

import type * as C from '@repro-registry/registry-api';
import { attestationPagePaths } from './attestation-index';
import type { CertifiedState } from './certified-state';

export type Proof = [] | [C.ReadCertification];

export class ReadProofs {
  constructor(private readonly state: CertifiedState) {}

  /**
   * Proof of attestations' records, by their table keys (u64 big-endian, as the labels). For a
   * page of a proposal's attestations (all of them, newest first, `idKeys` at the positions
   * just below `end`), also the proposal's certified count and those positions
   * (`attestation-index.ts`): the reader then knows the page is complete.
   */
  attestations(idKeys: readonly Uint8Array[], page?: { proposalId: bigint; end: bigint }): Proof {
    return this.prove(
      LABELS.attestation,
      idKeys,
      page === undefined ? [] : attestationPagePaths({ ...page, items: idKeys.length }),
    );
  }

  /** Proof of proposals' certified summaries (over everyone). */
  summaries(proposalIds: readonly bigint[]): Proof {
    return this.prove(
      LABELS.proposal,
      proposalIds.map((id) => u64Label(id)),
    );
  }

  /** Proof of proposals' summaries counted over one trust list (`scoped/<list>/<id>`). */
  scopedSummaries(listId: bigint, proposalIds: readonly bigint[]): Proof {
    const list = u64Label(listId);
    return this.provePaths(proposalIds.map((id) => [LABELS.scoped, list, u64Label(id)]));
  }

  /**
   * Proof of trust lists as answered: the version's record (and members, for `get_trust_list`),
   * the list's status, and that the newest version is the newest (`<newest + 1>` absent).
   */
  trustLists(
    lists: readonly { id: bigint; version: number; newest: number; members: boolean }[],
  ): Proof {
    const paths: Label[][] = [];
    for (const l of lists) {
      const id = u64Label(l.id);
      const version = u64Label(l.version);
      paths.push([LABELS.trustList, id, version, LABELS.record]);
      if (l.members) paths.push([LABELS.trustList, id, version, LABELS.members]);
      if (l.newest !== l.version)
        paths.push([LABELS.trustList, id, u64Label(l.newest), LABELS.record]);
      paths.push([LABELS.trustList, id, u64Label(l.newest + 1)]);
      paths.push([LABELS.trustList, id, LABELS.status]);
    }
    return this.provePaths(paths);
  }

  private prove(family: Label, labels: readonly Uint8Array[], more: Label[][] = []): Proof {
    return this.provePaths([...more, ...labels.map((label) => [family, label])]);
  }

  private provePaths(paths: readonly Label[][]): Proof {
    // Updates have no certificate: nothing a reader could check, so no witness is built.
    const certificate = dataCertificate();
    if (certificate === undefined) return [];
    const request = pathRequestOf([[LABELS.log], ...paths]);
    return [{ certificate, witness: encodeHashTree(this.state.witness(request)) }];
  }
}

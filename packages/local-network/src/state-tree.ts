/**
 * The certified state tree of the local network and its certification.
 *
 * A "block" is the tree at one moment with the root key's signature over its root hash. Blocks
 * are made lazily: a certificate is served from the latest block when nothing has changed since
 * (and it is recent enough), otherwise a new block is signed. All witnesses of one block share
 * its single BLS signature, so a burst of updates that finish together costs one signature.
 *
 * Layout (the standard IC labels, in label order):
 *   canister/<id>/{certified_data, controllers, metadata/<name>, module_hash}
 *   canister_ranges/<subnet>/<first id>          (sharded ranges, newer clients)
 *   request_status/<request id>/{status, reply | reject_code, reject_message, error_code}
 *   subnet/<subnet>/{canister_ranges, metrics, node/<node>/public_key, public_key, type}
 *   time
 */
import { encodeCbor } from './cbor';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { lebEncode } from '@dfinity/candid';
import { bytesEqual } from './encoding';
import { encodeCertificate, type NodeKey, type RootKey } from './certification';
import { NetworkError, NetworkErrorCode } from './errors';
import {
  compareBytes,
  LabeledMap,
  Leaf,
  pathRequestOf,
  type HashTree,
  type PathRequest,
  type TreeNode,
} from '@repro-registry/certification';
import { selfAuthenticatingPrincipal } from './keys';

/** How long a certification round may wait for calls that are about to finish. */
const ROUND_MAX_WAIT_MS = 15;

export type RequestStatus = 'received' | 'processing' | 'replied' | 'rejected' | 'done';

export interface RequestStatusEntry {
  requestId: Uint8Array;
  status: RequestStatus;
  reply?: Uint8Array;
  rejectCode?: number;
  rejectMessage?: string;
  errorCode?: string;
  sender: Uint8Array;
  receiver: Uint8Array;
  effectiveCanisterId: Uint8Array;
  method: string;
  pruneAfter: bigint;
}

export interface CanisterCertifiedInfo {
  id: Uint8Array;
  moduleHash?: Uint8Array;
  controllers: Uint8Array[];
  certifiedData: Uint8Array;
  /** Custom sections `icp:public <name>` / `icp:private <name>` of the module. */
  metadata?: ReadonlyMap<string, { visibility: 'public' | 'private'; content: Uint8Array }>;
}

export interface SubnetMetrics {
  numCanisters: number;
  canisterStateBytes: bigint;
  updateTransactionsTotal: bigint;
}

/** A subtree whose digest was fixed when the block was made; revealing it needs the same digest. */
class FrozenView implements TreeNode {
  private readonly frozen: Uint8Array;
  constructor(private readonly live: TreeNode) {
    this.frozen = live.digest();
  }
  digest(): Uint8Array {
    return this.frozen;
  }
  witness(request: PathRequest): HashTree {
    if (!bytesEqual(this.live.digest(), this.frozen)) {
      throw new Error('stale block: the live subtree changed after certification');
    }
    return this.live.witness(request);
  }
}

export interface Block {
  version: number;
  time: bigint;
  root: LabeledMap;
  signature: Uint8Array;
  certifiedData: Map<string, Uint8Array>;
}

function statusNode(e: RequestStatusEntry): TreeNode {
  const m = new LabeledMap();
  m.set('status', new Leaf(utf8ToBytes(e.status)));
  if (e.status === 'replied' && e.reply) m.set('reply', new Leaf(e.reply));
  if (e.status === 'rejected') {
    m.set('reject_code', new Leaf(lebEncode(e.rejectCode ?? 0)));
    m.set('reject_message', new Leaf(utf8ToBytes(e.rejectMessage ?? '')));
    if (e.errorCode) m.set('error_code', new Leaf(utf8ToBytes(e.errorCode)));
  }
  return m;
}

export function encodeRanges(ranges: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  return encodeCbor(ranges.map(([a, b]) => [a, b]));
}

export function inRanges(
  ranges: readonly (readonly [Uint8Array, Uint8Array])[],
  id: Uint8Array,
): boolean {
  return ranges.some(([lo, hi]) => compareBytes(lo, id) <= 0 && compareBytes(id, hi) <= 0);
}

export class CertifiedState {
  readonly subnetId: Uint8Array;
  private readonly statusTree = new LabeledMap([], { bucketed: true });
  private readonly statuses = new Map<string, RequestStatusEntry>();
  private version = 0;
  private latest: Block | undefined;
  private lastTime = 0n;
  blocksSigned = 0;

  constructor(
    private readonly deps: {
      rootKey: RootKey;
      nodeKey: NodeKey;
      ranges: readonly (readonly [Uint8Array, Uint8Array])[];
      subnetType: string;
      clock: () => bigint;
      canisters: () => CanisterCertifiedInfo[];
      metrics: () => SubnetMetrics;
      /** Calls accepted and not yet certified (lets certification rounds batch them). */
      callsInFlight?: () => number;
    },
  ) {
    this.subnetId = selfAuthenticatingPrincipal(deps.rootKey.der);
  }

  get nodeId(): Uint8Array {
    return this.deps.nodeKey.nodeId;
  }

  /** Marks the state as changed: the next certificate needs a new block. */
  invalidate(): void {
    this.version++;
  }

  requestStatus(requestId: Uint8Array): RequestStatusEntry | undefined {
    return this.statuses.get(bytesToHex(requestId));
  }

  setRequestStatus(entry: RequestStatusEntry): void {
    this.statuses.set(bytesToHex(entry.requestId), entry);
    this.statusTree.set(entry.requestId, statusNode(entry));
    this.invalidate();
  }

  /** Forgets statuses whose time is up; returns how many. */
  prune(now: bigint): number {
    let n = 0;
    for (const [k, e] of this.statuses) {
      if (e.pruneAfter < now && e.status !== 'received' && e.status !== 'processing') {
        this.statuses.delete(k);
        this.statusTree.delete(e.requestId);
        n++;
      }
    }
    if (n > 0) this.invalidate();
    return n;
  }

  get requestStatusCount(): number {
    return this.statuses.size;
  }

  private canisterTree(infos: CanisterCertifiedInfo[]): LabeledMap {
    const canisters = new LabeledMap();
    for (const c of infos) {
      const m = new LabeledMap();
      m.set('certified_data', new Leaf(c.certifiedData));
      m.set('controllers', new Leaf(encodeCbor(c.controllers)));
      if (c.metadata && c.metadata.size > 0) {
        const md = new LabeledMap();
        for (const [name, section] of c.metadata) md.set(name, new Leaf(section.content));
        m.set('metadata', md);
      }
      if (c.moduleHash) m.set('module_hash', new Leaf(c.moduleHash));
      canisters.set(c.id, m);
    }
    return canisters;
  }

  private subnetTree(): LabeledMap {
    const { rootKey, nodeKey, ranges, subnetType } = this.deps;
    const metrics = this.deps.metrics();
    const subnet = new LabeledMap([
      ['canister_ranges', new Leaf(encodeRanges(ranges))],
      [
        'metrics',
        new Leaf(
          encodeCbor({
            num_canisters: metrics.numCanisters,
            canister_state_bytes: metrics.canisterStateBytes,
            consumed_cycles_total: { current: 0, deleted: 0 },
            update_transactions_total: metrics.updateTransactionsTotal,
          }),
        ),
      ],
      [
        'node',
        new LabeledMap([[nodeKey.nodeId, new LabeledMap([['public_key', new Leaf(nodeKey.der)]])]]),
      ],
      ['public_key', new Leaf(rootKey.der)],
      ['type', new Leaf(utf8ToBytes(subnetType))],
    ]);
    return new LabeledMap([[this.subnetId, subnet]]);
  }

  private makeBlock(): Block {
    let time = this.deps.clock();
    if (time <= this.lastTime) time = this.lastTime + 1n;
    this.lastTime = time;
    const infos = this.deps.canisters();
    const certifiedData = new Map<string, Uint8Array>();
    for (const c of infos) certifiedData.set(bytesToHex(c.id), c.certifiedData);
    const shard = this.deps.ranges[0]?.[0] ?? new Uint8Array();
    const root = new LabeledMap([
      ['canister', this.canisterTree(infos)],
      [
        'canister_ranges',
        new LabeledMap([
          [this.subnetId, new LabeledMap([[shard, new Leaf(encodeRanges(this.deps.ranges))]])],
        ]),
      ],
      ['request_status', new FrozenView(this.statusTree)],
      ['subnet', this.subnetTree()],
      ['time', new Leaf(lebEncode(time))],
    ]);
    const signature = this.deps.rootKey.signRoot(root.digest());
    this.blocksSigned++;
    return { version: this.version, time, root, signature, certifiedData };
  }

  /**
   * The latest block if the state has not changed since and it is at most `maxAgeNs` old,
   * otherwise a new one.
   */
  block(maxAgeNs = 2_000_000_000n): Block {
    const b = this.latest;
    if (b && b.version === this.version && this.deps.clock() - b.time <= maxAgeNs) return b;
    return (this.latest = this.makeBlock());
  }

  private round:
    | {
        paths: readonly (readonly Uint8Array[])[];
        resolve: (c: Uint8Array) => void;
        reject: (e: unknown) => void;
      }[]
    | null = null;

  /**
   * A certificate for `paths` from the next certification round: every caller that asks before
   * the round runs (at the end of this turn of the event loop, after pending I/O such as other
   * calls' fsyncs) shares one block and so one signature.
   */
  certifyInRound(paths: readonly (readonly Uint8Array[])[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.round) {
        this.round.push({ paths, resolve, reject });
        return;
      }
      this.round = [{ paths, resolve, reject }];
      const opened = performance.now();
      const close = (): void => {
        // While other accepted calls are about to finish, wait for them (a little): one
        // signature then certifies them all, which under load is cheaper than one each.
        if (
          this.deps.callsInFlight &&
          this.deps.callsInFlight() > 0 &&
          performance.now() - opened < ROUND_MAX_WAIT_MS
        ) {
          setTimeout(close, 1);
          return;
        }
        const waiting = this.round!;
        this.round = null;
        try {
          const block = this.block();
          // Witnesses are made right away, before anything can change the tree again.
          const certificates = waiting.map((w) => this.certificate(w.paths, block));
          waiting.forEach((w, i) => w.resolve(certificates[i]));
        } catch (e) {
          for (const w of waiting) w.reject(e);
        }
      };
      setImmediate(close);
    });
  }

  /** A certificate revealing `paths` (and always `time`). */
  certificate(paths: readonly (readonly Uint8Array[])[], block = this.block()): Uint8Array {
    const tree = block.root.witness(pathRequestOf([...paths, [utf8ToBytes('time')]]));
    return encodeCertificate(tree, block.signature);
  }

  /**
   * The certificate a canister sees through `ic0.data_certificate_copy` in a query: its
   * certified data and the time. A recent block is reused while the canister's certified data
   * in it is current.
   */
  dataCertificate(
    canisterId: Uint8Array,
    current: Uint8Array,
    maxAgeNs = 60_000_000_000n,
  ): Uint8Array {
    let b = this.latest;
    const fresh =
      b &&
      this.deps.clock() - b.time <= maxAgeNs &&
      (() => {
        const c = b.certifiedData.get(bytesToHex(canisterId));
        return c !== undefined && bytesEqual(c, current);
      })();
    if (!fresh) b = this.latest = this.makeBlock();
    return this.certificate(
      [[utf8ToBytes('canister'), canisterId, utf8ToBytes('certified_data')]],
      b,
    );
  }

  /** Validates read_state paths like a replica (`verify_paths`), throwing the replica's status. */
  checkReadStatePaths(args: {
    paths: readonly (readonly Uint8Array[])[];
    sender: Uint8Array;
    effective: { kind: 'canister' | 'subnet'; id: Uint8Array };
    version: 2 | 3;
    targetsAllow: (canister: Uint8Array) => boolean;
    isController: (canister: Uint8Array, principal: Uint8Array) => boolean;
    metadataVisibility: (canister: Uint8Array, name: string) => 'public' | 'private' | undefined;
  }): void {
    const { effective } = args;
    const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
    let requestId: Uint8Array | undefined;
    let rangesSubnet: Uint8Array | undefined;
    const invalid = (): NetworkError =>
      new NetworkError(NetworkErrorCode.InvalidPath, 'Invalid path requested.');
    const sameCanister = (id: Uint8Array): void => {
      if (effective.kind !== 'canister' || !bytesEqual(id, effective.id)) {
        throw new NetworkError(
          NetworkErrorCode.CanisterIdMismatch,
          `Effective principal id in URL does not match requested principal id: ${bytesToHex(id)}.`,
        );
      }
    };
    for (const path of args.paths) {
      const [l0, , l2, , l4] = path.map(text);
      const n = path.length;
      if (n === 0) throw invalid();
      switch (l0) {
        case 'time':
          if (n !== 1) throw invalid();
          break;
        case 'api_boundary_nodes':
          if (n > 3 || (n === 3 && !['domain', 'ipv4_address', 'ipv6_address'].includes(l2))) {
            throw invalid();
          }
          break;
        case 'subnet': {
          if (n > 5) throw invalid();
          if (
            n >= 3 &&
            !['public_key', 'canister_ranges', 'node', 'metrics', 'type'].includes(l2)
          ) {
            throw invalid();
          }
          if (n >= 4 && l2 !== 'node') throw invalid();
          if (n === 5 && l4 !== 'public_key') throw invalid();
          if (
            l2 === 'metrics' &&
            (effective.kind !== 'subnet' || !bytesEqual(path[1], effective.id))
          ) {
            throw invalid();
          }
          if (
            l2 === 'canister_ranges' &&
            args.version === 3 &&
            !bytesEqual(path[1], this.subnetId)
          ) {
            throw invalid();
          }
          break;
        }
        case 'canister_ranges':
          if (effective.kind !== 'subnet' || n > 3) throw invalid();
          if (n >= 2) {
            if (rangesSubnet && !bytesEqual(rangesSubnet, path[1])) {
              throw new NetworkError(
                NetworkErrorCode.MalformedRequest,
                'All canister_ranges paths must refer to the same subnet id.',
              );
            }
            rangesSubnet = path[1]!;
          }
          break;
        case 'canister': {
          if (n < 3) throw invalid();
          const id = path[1];
          if (l2 === 'module_hash' || l2 === 'controllers') {
            if (n !== 3) throw invalid();
            sameCanister(id);
          } else if (l2 === 'metadata' && n === 4) {
            sameCanister(id);
            let name: string;
            try {
              name = new TextDecoder('utf-8', { fatal: true }).decode(path[3]);
            } catch {
              throw new NetworkError(
                NetworkErrorCode.MalformedRequest,
                'Could not parse the custom section name: invalid UTF-8.',
              );
            }
            if (
              args.metadataVisibility(id, name) === 'private' &&
              !args.isController(id, args.sender)
            ) {
              throw new NetworkError(
                NetworkErrorCode.Forbidden,
                `Custom section ${name.slice(0, 100)} can only be requested by the controllers of the canister.`,
              );
            }
          } else {
            throw invalid();
          }
          break;
        }
        case 'request_status': {
          if (n < 2 || n > 3) throw invalid();
          if (
            n === 3 &&
            !['status', 'reply', 'reject_code', 'reject_message', 'error_code'].includes(l2)
          ) {
            throw invalid();
          }
          const id = path[1];
          if (id.length !== 32) {
            throw new NetworkError(
              NetworkErrorCode.MalformedRequest,
              'Invalid request id in paths. Maybe the request ID is not of 32 bytes in length?!',
            );
          }
          if (requestId && !bytesEqual(requestId, id)) {
            throw new NetworkError(
              NetworkErrorCode.MalformedRequest,
              `More than one non-unique request ID exists in request_status paths: 0x${bytesToHex(requestId)} and 0x${bytesToHex(id)}.`,
            );
          }
          requestId = id;
          const entry = this.requestStatus(id);
          if (entry) {
            if (!bytesEqual(entry.sender, args.sender)) {
              throw new NetworkError(
                NetworkErrorCode.Forbidden,
                'The user tries to access Request ID not signed by the caller.',
              );
            }
            // A call is read where it was sent: at its effective canister id, or at the subnet
            // endpoint when it was addressed to the subnet (the subnet sees all its calls).
            const sameEffective =
              effective.kind === 'canister'
                ? bytesEqual(entry.effectiveCanisterId, effective.id)
                : bytesEqual(effective.id, this.subnetId);
            if (!sameEffective) {
              throw new NetworkError(
                NetworkErrorCode.Forbidden,
                'The user tries to access a request ID of another effective canister id.',
              );
            }
            if (!args.targetsAllow(entry.receiver)) {
              throw new NetworkError(
                NetworkErrorCode.Forbidden,
                'The user tries to access request IDs for canisters not belonging to sender delegation targets.',
              );
            }
          }
          break;
        }
        default:
          throw invalid();
      }
    }
  }
}

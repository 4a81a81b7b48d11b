/**
 * Test canister for the host: every System API path the host tests exercise, through azle's
 * public API only.
 */
import {
  call,
  canisterSelf,
  canisterVersion,
  certifiedDataSet,
  dataCertificate,
  heartbeat,
  IDL,
  init,
  inspectMessage,
  msgArgData,
  msgCaller,
  msgMethodName,
  msgReject,
  performanceCounter,
  postUpgrade,
  preUpgrade,
  Principal,
  query,
  setTimer,
  StableBTreeMap,
  time,
  trap,
  update,
} from 'azle';

const entries = new StableBTreeMap<string, string>(0);

export default class {
  greeting = '';
  count = 0n;
  timerFired = 0n;
  heartbeats = 0n;
  lifecycle: string[] = [];

  @init([IDL.Text])
  init(greeting: string): void {
    if (greeting === 'trap') throw new Error('init refused');
    this.greeting = greeting;
    this.lifecycle.push('init');
    entries.insert('greeting', greeting);
  }

  @preUpgrade
  preUpgrade(): void {
    entries.insert('preUpgradeCount', this.count.toString());
  }

  @postUpgrade([IDL.Text])
  postUpgrade(arg: string): void {
    if (arg === 'trap') throw new Error('post_upgrade refused');
    this.greeting = entries.get('greeting') ?? '';
    this.count = BigInt(entries.get('preUpgradeCount') ?? '0');
    this.lifecycle.push(`postUpgrade:${arg}`);
    entries.insert('upgradeArg', arg);
  }

  @heartbeat
  beat(): void {
    this.heartbeats += 1n;
  }

  @query([], IDL.Nat64)
  heartbeatCount(): bigint {
    return this.heartbeats;
  }

  @inspectMessage()
  inspect(methodName: string): boolean {
    return methodName !== 'forbidden' && msgMethodName() === methodName;
  }

  @query([], IDL.Text)
  getGreeting(): string {
    return this.greeting;
  }

  @query([], IDL.Vec(IDL.Text))
  getLifecycle(): string[] {
    return this.lifecycle;
  }

  @query([], IDL.Nat64)
  getCount(): bigint {
    return this.count;
  }

  @update([], IDL.Nat64)
  increment(): bigint {
    this.count += 1n;
    return this.count;
  }

  @update([], IDL.Nat64)
  forbidden(): bigint {
    return 0n;
  }

  @query([], IDL.Principal)
  whoami(): Principal {
    return msgCaller();
  }

  @update([], IDL.Principal)
  whoamiUpdate(): Principal {
    return msgCaller();
  }

  @query([], IDL.Principal)
  self(): Principal {
    return canisterSelf();
  }

  @query([], IDL.Nat64)
  now(): bigint {
    return time();
  }

  @query([], IDL.Nat64)
  version(): bigint {
    return canisterVersion();
  }

  @update([IDL.Text, IDL.Text])
  put(key: string, value: string): void {
    entries.insert(key, value);
  }

  @query([IDL.Text], IDL.Opt(IDL.Text))
  get(key: string): [] | [string] {
    const v = entries.get(key);
    return v === undefined ? [] : [v];
  }

  @query([], IDL.Nat64)
  size(): bigint {
    return BigInt(entries.len());
  }

  /** Changes heap and stable memory, then fails: nothing of it may stay. */
  @update([IDL.Text, IDL.Text])
  putThenThrow(key: string, value: string): void {
    this.count += 100n;
    entries.insert(key, value);
    throw new Error(`refusing ${key}`);
  }

  @update([IDL.Text])
  callTrap(message: string): void {
    this.count += 1000n;
    trap(message);
  }

  @update([IDL.Text], IDL.Text, { manual: true })
  rejectWith(): void {
    const [message] = IDL.decode([IDL.Text], msgArgData()) as unknown as [string];
    msgReject(message);
  }

  /** A query that writes: the host must discard it. */
  @query([], IDL.Nat64)
  queryMutates(): bigint {
    this.count += 1n;
    entries.insert('fromQuery', 'yes');
    return this.count;
  }

  @update([IDL.Text])
  shout(message: string): void {
    console.log(message);
  }

  @update([IDL.Vec(IDL.Nat8)])
  setCertified(data: Uint8Array): void {
    certifiedDataSet(data);
  }

  @query([], IDL.Opt(IDL.Vec(IDL.Nat8)))
  certificate(): [] | [Uint8Array] {
    const c = dataCertificate();
    return c === undefined ? [] : [c];
  }

  @update([IDL.Nat32], IDL.Nat32)
  spin(n: number): number {
    let x = 0;
    for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003;
    return x;
  }

  @query([IDL.Nat32], IDL.Nat32)
  spinQuery(n: number): number {
    let x = 0;
    for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003;
    return x;
  }

  @query([], IDL.Nat64)
  instructionsSoFar(): bigint {
    return performanceCounter(0);
  }

  @query([IDL.Nat32], IDL.Vec(IDL.Nat8))
  blob(size: number): Uint8Array {
    return new Uint8Array(size);
  }

  @update([IDL.Vec(IDL.Nat8)], IDL.Nat32)
  measure(bytes: Uint8Array): number {
    return bytes.length;
  }

  @update([IDL.Nat32], IDL.Vec(IDL.Nat8))
  blobUpdate(size: number): Uint8Array {
    return new Uint8Array(size);
  }

  @update([IDL.Nat32])
  scheduleTimer(delaySeconds: number): void {
    setTimer(delaySeconds, () => {
      this.timerFired += 1n;
    });
  }

  @query([], IDL.Nat64)
  timerCount(): bigint {
    return this.timerFired;
  }

  @update([IDL.Principal, IDL.Text], IDL.Text)
  async callGreeting(target: Principal, method: string): Promise<string> {
    return await call<undefined, string>(target, method, { returnIdlType: IDL.Text });
  }

  /** Calls `target.method` and reports how it ended, as text. */
  @update([IDL.Principal, IDL.Text, IDL.Text], IDL.Text)
  async callAndReport(target: Principal, method: string, message: string): Promise<string> {
    this.count += 1n;
    try {
      await call<[string], unknown>(target, method, { paramIdlTypes: [IDL.Text], args: [message] });
      return 'replied';
    } catch (e) {
      const err = e as { type?: string; rejectCode?: number; rejectMessage?: string };
      return `${err.type ?? 'error'} ${err.rejectCode ?? ''}: ${err.rejectMessage ?? String(e)}`;
    }
  }

  @query([IDL.Principal], IDL.Text, { composite: true })
  async compositeGreeting(target: Principal): Promise<string> {
    const theirs = await call<undefined, string>(target, 'getGreeting', {
      returnIdlType: IDL.Text,
    });
    this.count += 1n;
    return `${this.greeting}+${theirs}+${this.count}`;
  }

  @query([IDL.Principal, IDL.Text], IDL.Text, { composite: true })
  async compositeReport(target: Principal, method: string): Promise<string> {
    try {
      await call(target, method, { paramIdlTypes: [IDL.Principal], args: [target] });
      return 'replied';
    } catch (e) {
      const err = e as { type?: string; rejectCode?: number; rejectMessage?: string };
      return `${err.type ?? 'error'} ${err.rejectCode ?? ''}: ${err.rejectMessage ?? String(e)}`;
    }
  }

  /** Commits the first part, then traps in the reply callback after the await. */
  @update([IDL.Principal])
  async incrementOtherThenThrow(target: Principal): Promise<void> {
    this.count += 1n;
    await call(target, 'increment', { returnIdlType: IDL.Nat64 });
    this.count += 10n;
    throw new Error('failed after the await');
  }

  @update([IDL.Principal], IDL.Principal)
  async callerAfterCall(target: Principal): Promise<Principal> {
    await call(target, 'getGreeting', { returnIdlType: IDL.Text });
    return msgCaller();
  }

  /** The caller `target` saw when this canister called it. */
  @update([IDL.Principal], IDL.Principal)
  async callerSeenBy(target: Principal): Promise<Principal> {
    return await call<undefined, Principal>(target, 'whoamiUpdate', {
      returnIdlType: IDL.Principal,
    });
  }

  @update([IDL.Principal], IDL.Nat64)
  async incrementOther(target: Principal): Promise<bigint> {
    return await call<undefined, bigint>(target, 'increment', { returnIdlType: IDL.Nat64 });
  }

  @update([], IDL.Vec(IDL.Nat8))
  async rawRand(): Promise<Uint8Array> {
    return await call<undefined, Uint8Array>(Principal.fromText('aaaaa-aa'), 'raw_rand', {
      returnIdlType: IDL.Vec(IDL.Nat8),
    });
  }

  /** Forwards Candid bytes to `target.method` (e.g. the management canister) and returns its reply. */
  @update([IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8)], IDL.Vec(IDL.Nat8))
  async forward(target: Principal, method: string, arg: Uint8Array): Promise<Uint8Array> {
    return await call<Uint8Array, Uint8Array>(target, method, { args: arg, raw: true });
  }
}

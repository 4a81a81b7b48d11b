/**
 * A probe canister for the local network's integration tests: queries, updates that write to
 * stable memory, a trap, an explicit reject, calls to another canister, certified data and its
 * certificate, and the HTTP gateway's `http_request` / `http_request_update`.
 */
import type { Principal } from 'azle';
import {
  call,
  certifiedDataSet,
  dataCertificate,
  IDL,
  inspectMessage,
  msgArgData,
  msgCaller,
  msgMethodName,
  msgReject,
  query,
  StableBTreeMap,
  trap,
  update,
} from 'azle';

const entries = new StableBTreeMap<string, string>(0);

const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});
const HttpUpdateRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
});
const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
type HttpRequest = {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  certificate_version: [] | [number];
};
type HttpResponse = {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array;
  upgrade: [] | [boolean];
};

function json(status: number, value: unknown): HttpResponse {
  return {
    status_code: status,
    headers: [['content-type', 'application/json']],
    body: new TextEncoder().encode(JSON.stringify(value)),
    upgrade: [],
  };
}

export default class {
  @query([IDL.Text], IDL.Text)
  greet(name: string): string {
    return `Hello, ${name}!`;
  }

  @query([], IDL.Principal)
  whoami(): Principal {
    return msgCaller();
  }

  @update([], IDL.Principal)
  whoamiUpdate(): Principal {
    return msgCaller();
  }

  @update([IDL.Text, IDL.Text], IDL.Nat64)
  put(key: string, value: string): bigint {
    entries.insert(key, value);
    return BigInt(entries.len());
  }

  @query([IDL.Text], IDL.Opt(IDL.Text))
  get(key: string): [] | [string] {
    const v = entries.get(key);
    return v === undefined ? [] : [v];
  }

  @query([], IDL.Nat64)
  count(): bigint {
    return BigInt(entries.len());
  }

  @update([IDL.Text], IDL.Text)
  fail(message: string): string {
    trap(message);
  }

  /** Manual mode: the method decodes its own argument and answers with an explicit reject. */
  @update([IDL.Text], IDL.Text, { manual: true })
  refuse(): void {
    const [message] = IDL.decode([IDL.Text], msgArgData()) as [string];
    msgReject(message);
  }

  @update([IDL.Principal, IDL.Text, IDL.Text], IDL.Nat64)
  async putRemote(canister: Principal, key: string, value: string): Promise<bigint> {
    return await call<[string, string], bigint>(canister, 'put', {
      paramIdlTypes: [IDL.Text, IDL.Text],
      returnIdlType: IDL.Nat64,
      args: [key, value],
    });
  }

  @update([IDL.Principal, IDL.Text], IDL.Opt(IDL.Text))
  async getRemote(canister: Principal, key: string): Promise<[] | [string]> {
    return await call<[string], [] | [string]>(canister, 'get', {
      paramIdlTypes: [IDL.Text],
      returnIdlType: IDL.Opt(IDL.Text),
      args: [key],
    });
  }

  @update([IDL.Vec(IDL.Nat8)], IDL.Null)
  certify(data: Uint8Array): null {
    certifiedDataSet(data);
    return null;
  }

  @query([], IDL.Opt(IDL.Vec(IDL.Nat8)))
  certificate(): [] | [Uint8Array] {
    const c = dataCertificate();
    return c === undefined ? [] : [c];
  }

  @query([HttpRequest], HttpResponse)
  http_request(request: HttpRequest): HttpResponse {
    const path = request.url.split('?')[0];
    if (path === '/count') return json(200, { count: String(entries.len()) });
    if (path === '/entries' && request.method === 'POST') {
      return { ...json(200, {}), upgrade: [true] };
    }
    return json(404, { error: 'not found', url: request.url });
  }

  /**
   * Refuses an `http_request_update` whose URL says `refuse`: the gateway must ask first.
   * Manual, so a call of a method the probe does not have still reaches execution (IC0536).
   */
  @inspectMessage({ manual: true })
  inspectMessage(): boolean {
    if (msgMethodName() !== 'http_request_update') return true;
    const [request] = IDL.decode([HttpUpdateRequest], msgArgData()) as unknown as [{ url: string }];
    return !request.url.includes('refuse');
  }

  @update([HttpUpdateRequest], HttpResponse)
  http_request_update(request: { method: string; url: string; body: Uint8Array }): HttpResponse {
    const { key, value } = JSON.parse(new TextDecoder().decode(request.body)) as {
      key: string;
      value: string;
    };
    entries.insert(key, value);
    return json(201, { count: String(entries.len()) });
  }
}

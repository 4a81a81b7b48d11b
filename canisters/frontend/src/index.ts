/**
 * The frontend canister: serves the registry's web page (the built Svelte app, embedded in the
 * module at build time) over the HTTP gateway interface, every response certified with HTTP
 * certification v2. A thin class: the site is `site.ts`, the configuration `config.ts`.
 */
import {
  IDL,
  StableBTreeMap,
  canisterSelf,
  certifiedDataSet,
  dataCertificate,
  init,
  msgArgData,
  msgReject,
  msgReply,
  postUpgrade,
  query,
  trap,
} from 'azle';
import {
  base64Decode,
  bytesToHex,
  hexToBytes,
  utf8Decode,
  utf8Encode,
} from '@repro-registry/attestation';
import { readHttpRequest } from '@repro-registry/certification';

import * as C from './candid';
import { checkConfig, InvalidConfigError, type PageConfig } from './config';
import { ASSETS } from './generated/assets.js';
import { CertifiedSite, type SiteFile } from './site';

/** Stable memory id 0: the configuration, so that an upgrade without arguments keeps it. */
const CONFIG_KEY = 'config';

function siteFiles(): SiteFile[] {
  return ASSETS.map((a) => ({
    path: a.path,
    contentType: a.contentType,
    immutable: a.immutable,
    bodies: {
      identity: base64Decode(a.identity),
      ...(a.gzip === null ? {} : { gzip: base64Decode(a.gzip) }),
      ...(a.br === null ? {} : { br: base64Decode(a.br) }),
    },
    bodyHashes: {
      identity: hexToBytes(a.sha256.identity),
      ...(a.sha256.gzip === null ? {} : { gzip: hexToBytes(a.sha256.gzip) }),
      ...(a.sha256.br === null ? {} : { br: hexToBytes(a.sha256.br) }),
    },
  }));
}

export default class {
  stored = new StableBTreeMap<string, Uint8Array>(0);
  site: CertifiedSite | undefined;

  @init([IDL.Opt(C.InitArgs)])
  init(args: [] | [C.InitArgs]): void {
    this.start(args);
  }

  @postUpgrade([IDL.Opt(C.InitArgs)])
  postUpgrade(args: [] | [C.InitArgs]): void {
    this.start(args);
  }

  /** The heap is new after install and upgrade: build and certify the site again. */
  private start(args: [] | [C.InitArgs]): void {
    let config: PageConfig;
    const given = args[0];
    const kept = this.stored.get(CONFIG_KEY);
    try {
      if (given !== undefined) {
        const rootKey = given.root_key?.[0];
        config = checkConfig({
          registryCanisterId: given.registry_canister_id.toText(),
          network: given.network,
          frontendCanisterId: canisterSelf().toText(),
          ...(rootKey === undefined ? {} : { rootKey: bytesToHex(rootKey) }),
        });
      } else if (kept !== undefined) {
        config = JSON.parse(utf8Decode(kept)) as PageConfig;
      } else {
        trap('INVALID_ARGUMENT: the first install needs the init argument (registry, network)');
      }
    } catch (e) {
      if (e instanceof InvalidConfigError) trap(`INVALID_ARGUMENT: ${e.message}`);
      throw e;
    }
    this.stored.insert(CONFIG_KEY, utf8Encode(JSON.stringify(config)));
    this.site = new CertifiedSite(siteFiles(), config);
    certifiedDataSet(this.site.rootHash());
  }

  /**
   * Decodes and replies by itself (`manual`): azle's `IDL.decode` and `IDL.encode` would cost
   * ~30 M instructions per request, the shared hand-written codec well under 1 M.
   */
  @query([C.HttpRequest], C.HttpResponse, { manual: true })
  http_request(): void {
    const read = readHttpRequest(msgArgData());
    if (read.ok) msgReply(this.site!.serve(read.request, dataCertificate()));
    else msgReject(read.reject);
  }
}

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from './config';

describe('--network local', () => {
  it("talks to the network that wrote the canister ids in .env (npm start), not to dfx's default port", async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'repro-project-'));
    const sub = path.join(project, 'cli');
    mkdirSync(sub);
    writeFileSync(
      path.join(project, '.env'),
      [
        '# DFX CANISTER ENVIRONMENT VARIABLES',
        "DFX_NETWORK='local'",
        "REPRO_LOCAL_NETWORK_URL='http://127.0.0.1:41237'",
        "CANISTER_ID_REGISTRY='bd3sg-teaaa-aaaaa-qaaba-cai'",
        "CANISTER_ID_GOVERNANCE='bkyz2-fmaaa-aaaaa-qaaaq-cai'",
        '# END DFX CANISTER ENVIRONMENT VARIABLES',
        '',
      ].join('\n'),
    );
    const env = { REPRO_CONFIG_DIR: project };
    const local = await resolveSettings({ network: 'local' }, env, sub);
    expect(local).toMatchObject({
      host: 'http://127.0.0.1:41237',
      fetchRootKey: true,
      canisterId: 'bd3sg-teaaa-aaaaa-qaaba-cai',
      governanceCanisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
    });
    // A .env without the address (dfx's own) keeps dfx's default replica address.
    writeFileSync(
      path.join(project, '.env'),
      "CANISTER_ID_REGISTRY='bd3sg-teaaa-aaaaa-qaaba-cai'\n",
    );
    expect((await resolveSettings({ network: 'local' }, env, sub)).host).toBe(
      'http://127.0.0.1:4943',
    );
    // mainnet never reads .env.
    expect((await resolveSettings({ network: 'ic' }, env, sub)).canisterId).toBeNull();
  });
});

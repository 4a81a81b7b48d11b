import { describe, expect, it } from 'vitest';

import { cliNetwork, reproduceSteps } from './reproduce';

describe('reproduceSteps', () => {
  it('names the network and canister the page reads, so the commands paste as they are', () => {
    const steps = reproduceSteps({
      proposalId: 139768n,
      connection: { host: 'https://icp-api.io', canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai' },
    });
    expect(steps.map((s) => s.command)).toEqual([
      'git clone <repro-registry repository URL> repro-registry && cd repro-registry',
      'npm install && npm install --global ./cli',
      'repro key new',
      'repro check 139768 --network ic --canister-id bkyz2-fmaaa-aaaaa-qaaaq-cai',
    ]);
  });

  it('says which repository to clone, and that dfinity/ic is not it', () => {
    const [clone] = reproduceSteps({
      proposalId: 1n,
      connection: { host: 'https://icp-api.io', canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai' },
      repository: 'https://example.org/repro-registry.git',
    });
    expect(clone?.command).toBe(
      'git clone https://example.org/repro-registry.git repro-registry && cd repro-registry',
    );
    expect(clone?.note).toContain('You do not clone dfinity/ic yourself');
  });

  it('passes a local network by its URL', () => {
    expect(cliNetwork({ host: 'http://127.0.0.1:4943' })).toBe('http://127.0.0.1:4943');
    expect(cliNetwork({ host: 'https://a4gq6-oaaaa-aaaab-qaa4q-cai.icp0.io' })).toBe('ic');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalNetwork, type LocalNetwork } from './network';
import { staticSite } from './static-site';

describe('staticSite (the frontend npm start serves)', () => {
  let dir: string;
  let network: LocalNetwork;
  let failed = false;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'repro-site-'));
    const dist = join(dir, 'dist');
    network = await startLocalNetwork({
      stateDir: join(dir, 'state'),
      fallback: staticSite({
        distDir: dist,
        env: () => ({ CANISTER_ID_REGISTRY: 'bd3sg-teaaa-aaaaa-qaaba-cai' }),
        placeholder: () => '<p>placeholder</p>',
        usePlaceholder: () => failed,
      }),
    });
  });
  afterAll(async () => {
    await network.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the placeholder without a build, the build once there is one, and again when it failed', async () => {
    const page = async (path = '/') => (await fetch(new URL(path, network.url))).text();
    expect(await page()).toBe('<p>placeholder</p>');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'dist', 'index.html'), '<p>app</p>');
    expect(await page()).toBe('<p>app</p>');
    expect(await page('/proposals/1')).toBe('<p>app</p>'); // single-page app routes
    expect(JSON.parse(await page('/env.json'))).toEqual({
      CANISTER_ID_REGISTRY: 'bd3sg-teaaa-aaaaa-qaaba-cai',
    });
    failed = true;
    expect(await page()).toBe('<p>placeholder</p>');
  });
});

/** Starts `network-child.ts` as a child process, so a test can `kill -9` the network. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '@repro-registry/deploy';

export interface ChildNetwork {
  url: string;
  port: number;
  rootKeyHex: string;
  readyMs: number;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export async function startChildNetwork(stateDir: string): Promise<ChildNetwork> {
  const script = fileURLToPath(new URL('./network-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, stateDir], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<Omit<ChildNetwork, 'process' | 'exited'>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('child network did not start in 60 s')),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`child network exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Omit<ChildNetwork, 'process' | 'exited'>);
    });
  });
  return { ...ready, process: child, exited };
}

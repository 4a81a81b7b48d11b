#!/usr/bin/env node
// `npx icp …` in this repository: the ICP CLI binary of @icp-sdk/icp-cli-linux-x64 (a dev
// dependency, so no download is needed), with its arguments and exit code passed through.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const { binaryPath } = createRequire(import.meta.url)('@icp-sdk/icp-cli-linux-x64');
const run = spawnSync(binaryPath, process.argv.slice(2), { stdio: 'inherit' });
process.exit(run.status ?? 1);

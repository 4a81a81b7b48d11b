import './app.css';

import { mount } from 'svelte';

import App from './App.svelte';
import { createAppContext } from './lib/app-context';
import { firstCheckAsked } from './lib/verification/bls';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
const context = await createAppContext(window);
// Building the page holds the main thread for a few hundred ms. Every checked answer waits for the
// subnet's node keys, whose certificate is checked in a worker once its answer is read here; a
// proposal page's older attestations are asked once an unchecked count arrives. Both answers are
// a few tens of ms away: they are read, the check handed over and the pages asked, before the page
// is built. At most `FIRST_READS_WAIT_MS`, so that a slow network does not hold the first drawing.
const FIRST_READS_WAIT_MS = 300;
if (context.api !== null)
  await Promise.race([
    Promise.all([firstCheckAsked, context.firstReadsAsked]),
    new Promise((resolve) => setTimeout(resolve, FIRST_READS_WAIT_MS)),
  ]);
target.replaceChildren();
mount(App, { target, props: { context } });

import './app.css';

import { mount } from 'svelte';

import App from './App.svelte';
import { createAppContext } from './lib/app-context';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
const context = await createAppContext(window);
// The connection's first requests (the subnet's node keys) go out before the page is built.
await new Promise((resolve) => setTimeout(resolve, 0));
target.replaceChildren();
mount(App, { target, props: { context } });

import './app.css';

import { mount } from 'svelte';

import App from './App.svelte';
import { createAppContext } from './lib/app-context';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
const context = await createAppContext(window);
target.replaceChildren();
mount(App, { target, props: { context } });

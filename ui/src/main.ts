import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import CustomerDisplay from './screens/customer/CustomerDisplay.svelte';

// A right click opens nothing at the counter (no "reload", no "inspect"), except in development.
if (!import.meta.env.DEV) window.addEventListener('contextmenu', (event) => event.preventDefault());

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// The shell opens the customer display (second monitor) on the same page at `#/customer`.
const customer = window.location.hash.startsWith('#/customer');

export default mount(customer ? CustomerDisplay : App, { target });

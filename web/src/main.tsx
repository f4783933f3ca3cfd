import { render } from 'preact';
import { App } from './app';
import { loadSession } from './session';
import { prefetch360 } from './pages/customer360';
import './styles.css';

// Start the first requests before the first paint: who is logged in and, on a deep link to
// a customer, its 360° view (both in parallel).
void loadSession();
prefetch360(window.location.pathname);
render(<App />, document.getElementById('app')!);

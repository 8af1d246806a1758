// The console's shell: login and logout, the navigation, and the hash router that renders one page module at a time.
import { api, ApiCallError, errorBox, h, onLoggedOut, session } from './common.js';
import * as activity from './activity.js';
import * as message from './message.js';
import * as stats from './stats.js';
import * as relays from './relays.js';
import * as suppressions from './suppressions.js';
import * as webhooks from './webhooks.js';
import * as domains from './domains.js';

const pages = { activity, message, stats, relays, suppressions, webhooks, domains };
const $ = (id) => document.getElementById(id);
let cleanup = null;

function showLogin(message) {
  session.current = null;
  if (cleanup) cleanup();
  cleanup = null;
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('page').hidden = true;
  $('page').replaceChildren();
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = message ?? '';
}

function showApp(s) {
  session.current = s;
  $('login').hidden = true;
  $('nav').hidden = false;
  $('logout').hidden = false;
  $('page').hidden = false;
  $('who').textContent = s.admin ? 'admin' : `account ${s.accountId}`;
  for (const a of document.querySelectorAll('nav a[data-admin]')) a.hidden = !s.admin;
  route();
}

async function route() {
  if (!session.current) return;
  if (cleanup) cleanup();
  cleanup = null;
  const hash = location.hash.replace(/^#\/?/, '');
  const [path] = hash.split('?');
  const [name, ...rest] = (path || 'activity').split('/');
  const page = pages[name] ?? activity;
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('current', a.getAttribute('href') === `#/${name === 'message' ? 'activity' : name}`);
  const root = $('page');
  root.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    cleanup = (await page.render(root, rest.map(decodeURIComponent))) ?? null;
  } catch (err) {
    root.replaceChildren(errorBox(err));
  }
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const apiKey = $('api-key').value;
  try {
    const s = await api('POST', '/console/login', { apiKey });
    $('api-key').value = '';
    showApp(s);
  } catch (err) {
    $('login-error').textContent = err instanceof ApiCallError ? err.message : String(err);
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/console/logout').catch(() => undefined);
  showLogin('Logged out.');
});

onLoggedOut.add(() => showLogin('Your session has ended: log in again.'));
window.addEventListener('hashchange', route);

api('GET', '/console/session').then(showApp, () => showLogin());

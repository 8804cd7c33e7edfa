// The single page: session, shell, client-side routes and global keyboard shortcuts.
import { api, onUnauthorized } from './api.js';
import { h, mount, link, spinner, errorBox } from './dom.js';
import { loginView } from './views/login.js';
import { projectsView } from './views/projects.js';
import { navigatorView } from './views/navigator.js';
import { issueView } from './views/issue.js';
import { boardView } from './views/board.js';
import { accountView } from './views/account.js';
import { adminView } from './views/admin/index.js';
import { openCreateDialog } from './views/create.js';
import { portalHomeView, portalDeskView } from './views/portal/home.js';
import { portalCreateView } from './views/portal/create.js';
import { portalRequestsView } from './views/portal/requests.js';
import { portalRequestView } from './views/portal/request.js';
import { portalNav } from './views/portal/nav.js';
import { deskRole } from './views/portal/jsm.js';
import { deskQueuesView, desksView } from './views/desk/queues.js';
import { deskRequestView } from './views/desk/request.js';
import { deskSettingsView } from './views/desk/settings.js';

export const state = { me: null, admin: false };
const root = document.getElementById('app');
let main = null;
let current = null; // the active view: { keys?(e) => bool, focusSearch?() }

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

const routes = [
  [/^\/$/, () => navigatorView],
  [/^\/issues$/, () => navigatorView],
  [/^\/projects$/, () => projectsView],
  [/^\/browse\/([A-Za-z0-9_]+-\d+)$/, () => issueView],
  [/^\/board\/([A-Za-z0-9_]+)(?:\/(backlog))?$/, () => boardView],
  [/^\/account$/, () => accountView],
  [/^\/admin(?:\/([a-z]+))?$/, () => adminView],
  [/^\/portal$/, () => portalHomeView],
  [/^\/portal\/requests$/, () => portalRequestsView],
  [/^\/portal\/request\/([A-Za-z0-9_]+-\d+)$/, () => portalRequestView],
  [/^\/portal\/(\d+)$/, () => portalDeskView],
  [/^\/portal\/(\d+)\/create\/(\d+)$/, () => portalCreateView],
  [/^\/desk$/, () => desksView],
  [/^\/desk\/(\d+)(?:\/queues(?:\/(\d+))?)?$/, () => deskQueuesView],
  [/^\/desk\/(\d+)\/request\/([A-Za-z0-9_]+-\d+)$/, () => deskRequestView],
  [/^\/desk\/(\d+)\/settings$/, () => deskSettingsView],
];

async function route() {
  if (!state.me) return showLogin();
  const path = location.pathname;
  for (const [re, view] of routes) {
    const m = path.match(re);
    if (!m) continue;
    const el = h('div.view');
    mount(main, el);
    current = {};
    document.querySelectorAll('.nav a').forEach((a) => a.classList.toggle('active', path.startsWith(a.getAttribute('href')) && a.getAttribute('href') !== '/' ));
    try {
      current = (await view()(el, m.slice(1), { navigate, state })) || {};
    } catch (e) {
      mount(el, errorBox(e));
    }
    return;
  }
  mount(main, h('div.view', h('h1', 'Not found'), h('p', `Nothing lives at ${path}.`), link('/issues', 'Go to issues')));
}

function shell() {
  main = h('main#main');
  const me = state.me;
  mount(
    root,
    h(
      'header.top',
      link(state.customer ? '/portal' : '/issues', h('strong.brand', state.title || 'Tessera')),
      state.customer ? portalNav() : h('nav.nav', link('/issues', 'Issues'), link('/projects', 'Projects'), state.agent && link('/desk', 'Service desk'), state.admin && h('a.admin-link', { href: '/admin', 'data-link': true, title: 'Administration' }, h('span.long', 'Administration'), h('span.short', 'Admin'))),
      h('span.grow'),
      !state.customer && h('button.primary', { type: 'button', onclick: () => create(), title: 'Create issue (c)' }, 'Create'),
      h('button.ghost.help-button', { type: 'button', onclick: showHelp, title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts' }, '?'),
      h('a.me', { href: '/account', 'data-link': true, title: `Account, password and API tokens (${me.emailAddress || me.name})` }, me.displayName || me.name),
      h('button.ghost#signout', { type: 'button', onclick: signOut }, 'Sign out'),
    ),
    main,
  );
  main.id = 'main';
}

function create() {
  openCreateDialog({ navigate, projectKey: current && current.projectKey });
}

async function signOut() {
  try {
    await api.logout();
  } catch (e) {
    // A session that is already gone is signed out all the same.
    if (e.status !== 401) return alertError(e);
  }
  state.me = null;
  navigate('/login');
}

function alertError(e) {
  const box = h('div.toast', errorBox(e), h('button.ghost', { type: 'button', onclick: () => box.remove() }, 'Dismiss'));
  document.body.append(box);
  setTimeout(() => box.remove(), 8000);
}

function showLogin() {
  current = {};
  loginView(root, async () => {
    await loadMe();
    history.replaceState(null, '', landing(location.pathname === '/login' ? '/issues' : location.pathname + location.search));
    shell();
    route();
  });
}

/** Where a sign-in lands: customers of a service desk and nothing more go to the portal. */
function landing(to) {
  if (state.customer && (to === '/' || to.startsWith('/issues'))) return '/portal';
  return to;
}

async function loadMe() {
  // The instance's name (jira.title) names the tab and the brand; serverInfo answers
  // anonymous callers, so the sign-in page has it too.
  await api.get('/serverInfo').then((info) => {
    state.title = info.serverTitle || 'Tessera';
    document.title = state.title;
  }).catch(() => {});
  try {
    state.me = await api.get('/myself');
    // The Administration link is for global administrators; the server refuses the
    // admin calls to anyone else all the same, so a failed check just hides the link.
    state.admin = await api.get('/mypermissions?permissions=ADMINISTER')
      .then((p) => !!(p.permissions && p.permissions.ADMINISTER && p.permissions.ADMINISTER.havePermission))
      .catch(() => false);
    const role = await deskRole(api, state.admin);
    state.customer = role === 'customer';
    state.agent = role === 'agent';
  } catch (e) {
    state.me = null;
    state.admin = false;
    if (e.status !== 401) throw e;
  }
}

const shortcuts = [
  ['c', 'Create an issue'],
  ['/', 'Focus the JQL search'],
  ['j / k', 'Next / previous issue in the list'],
  ['Enter', 'Open the selected issue'],
  ['?', 'Show this help'],
  ['Esc', 'Close a dialog'],
];

function showHelp() {
  if (document.querySelector('.overlay.help')) return;
  const close = () => overlay.remove();
  const overlay = h(
    'div.overlay.help',
    { onclick: (e) => e.target === overlay && close() },
    h(
      'div.dialog',
      { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Keyboard shortcuts' },
      h('h2', 'Keyboard shortcuts'),
      h('dl.keys', shortcuts.map(([k, d]) => [h('dt', h('kbd', k)), h('dd', d)])),
      h('div.actions', h('button.primary', { type: 'button', onclick: close }, 'Close')),
    ),
  );
  document.body.append(overlay);
  overlay.querySelector('button').focus();
}

function typing(target) {
  return target.closest('input, textarea, select, [contenteditable="true"]');
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    const top = [...document.querySelectorAll('.overlay')].pop();
    if (top) {
      top.remove();
      e.preventDefault();
      return;
    }
  }
  if (!state.me || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  if (document.querySelector('.overlay')) return;
  if (current && current.keys && current.keys(e)) {
    e.preventDefault();
    return;
  }
  if (e.key === 'c' && !state.customer) {
    e.preventDefault();
    create();
  } else if (e.key === '/') {
    e.preventDefault();
    if (current && current.focusSearch) current.focusSearch();
    else navigate('/issues');
  } else if (e.key === '?') {
    e.preventDefault();
    showHelp();
  }
});

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});

window.addEventListener('popstate', route);
onUnauthorized(() => {
  if (!state.me) return;
  state.me = null;
  route();
});

(async () => {
  try {
    await loadMe();
  } catch (e) {
    mount(root, h('div.view', errorBox(e)));
    return;
  }
  if (!state.me) return showLogin();
  if (location.pathname === '/login') history.replaceState(null, '', landing('/issues'));
  else if (landing(location.pathname) !== location.pathname) history.replaceState(null, '', landing(location.pathname));
  shell();
  route();
})();

export { spinner, alertError };

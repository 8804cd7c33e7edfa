// The administration area (`/admin/{page}`): a tab bar over one page per concern. Only
// global administrators (ADMINISTER) get in; anyone else sees a refusal in words — the
// server refuses their admin calls in any case.
import { h, mount, link } from '../../dom.js';
import { usersPage } from './users.js';
import { groupsPage } from './groups.js';
import { rolesPage } from './roles.js';
import { permissionsPage } from './permissions.js';
import { auditPage } from './audit.js';

const pages = [
  ['users', 'Users', usersPage],
  ['groups', 'Groups', groupsPage],
  ['roles', 'Project roles', rolesPage],
  ['permissions', 'Permission schemes', permissionsPage],
  ['audit', 'Audit log', auditPage],
];

export async function adminView(el, [name = 'users'], ctx) {
  if (!ctx.state.admin) {
    mount(el, h('div.page-head', h('h1', 'Administration')),
      h('div.card.refused', { role: 'alert' },
        h('h2', 'You need administrator access'),
        h('p', 'These pages manage users, groups, roles, permissions and the audit log. Ask a Jira administrator to add you to jira-administrators.'),
        link('/issues', 'Back to issues')));
    return {};
  }
  const page = pages.find(([p]) => p === name);
  if (!page) {
    mount(el, h('h1', 'Not found'), h('p', `There is no administration page “${name}”.`), link('/admin', 'Administration'));
    return {};
  }
  const body = h('div.admin-body');
  mount(el,
    h('div.page-head', h('h1', 'Administration'), h('span.count', page[1])),
    h('nav.tabs.admin-tabs', { 'aria-label': 'Administration' },
      pages.map(([p, label]) => h(`a.tab${p === name ? '.active' : ''}`, { href: `/admin/${p}`, 'data-link': true, 'aria-current': p === name ? 'page' : null, dataset: { page: p } }, label))),
    body);
  return (await page[2](body, ctx)) || {};
}

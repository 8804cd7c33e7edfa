// Project roles: the global role list, and for a chosen project each role's actors
// (users and groups), added and removed.
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox } from '../../dom.js';

const USER = 'atlassian-user-role-actor';

export async function rolesPage(el) {
  const [roles, projects] = await Promise.all([api.get('/role'), api.get('/project')]);
  const status = h('div.status', { 'aria-live': 'polite' });
  const board = h('div.role-actors');
  const pick = h('select#role-project', { 'aria-label': 'Project', onchange: () => show() },
    projects.map((p) => h('option', { value: p.key }, `${p.name} (${p.key})`)));

  async function act(label, fn, done) {
    mount(status, spinner(`${label}…`));
    try {
      await fn();
      mount(status, h('div.ok', done));
      await show();
    } catch (err) { mount(status, errorBox(err)); }
  }

  async function show() {
    const key = pick.value;
    if (!key) { mount(board, h('div.empty', h('p', 'No projects yet: create one to give its roles actors.'))); return; }
    mount(board, spinner(`Loading the roles of ${key}…`));
    try {
      const all = await Promise.all(roles.map((r) => api.get(`/project/${enc(key)}/role/${r.id}`)));
      mount(board, all.map((r) => roleCard(key, r)));
    } catch (err) { mount(board, errorBox(err)); }
  }

  function roleCard(key, r) {
    const base = `/project/${enc(key)}/role/${r.id}`;
    const kind = h('select.actor-kind', { 'aria-label': `Actor type for ${r.name}` },
      h('option', { value: 'user' }, 'User'), h('option', { value: 'group' }, 'Group'));
    const who = h('input.actor-name', { required: true, placeholder: 'name', 'aria-label': `Actor for ${r.name}` });
    return h('section.card.role', { dataset: { role: r.name } },
      h('h3', r.name), h('p.muted.small', r.description || ''),
      h('div.chips', (r.actors || []).length ? r.actors.map((a) => {
        const isUser = a.type === USER;
        return h('span.chip.actor', { dataset: { actor: a.name } },
          h('span.muted.actor-kind-label', isUser ? 'user' : 'group'), a.displayName || a.name,
          h('button.chip-x', {
            type: 'button',
            'aria-label': `Remove ${a.name} from ${r.name}`,
            onclick: () => act('Removing', () => api.del(`${base}?${isUser ? 'user' : 'group'}=${enc(a.name)}`), `${a.name} removed from ${r.name}.`),
          }, '×'));
      }) : h('span.muted.small', 'No actors.')),
      h('form.row.add-actor', {
        onsubmit: (e) => {
          e.preventDefault();
          const name = who.value.trim();
          act('Adding', () => api.post(base, { [kind.value]: [name] }), `${name} added to ${r.name}.`);
        },
      }, kind, who, h('button', { type: 'submit' }, 'Add')));
  }

  mount(el,
    h('div.row.role-head', h('label', 'Project', pick), status),
    board);
  await show();
  return {};
}

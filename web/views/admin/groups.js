// Groups: list and filter, create, delete; a chosen group's members, added and removed.
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox } from '../../dom.js';

export async function groupsPage(el) {
  const list = h('div.group-list', spinner('Loading groups…'));
  const members = h('section.card.group-members', h('p.muted', 'Choose a group to see its members.'));
  const status = h('div.status', { 'aria-live': 'polite' });
  const filter = h('input#group-filter', { type: 'search', placeholder: 'Filter groups', 'aria-label': 'Filter groups' });
  filter.addEventListener('input', () => load());
  let chosen = null;

  async function act(label, fn, done) {
    mount(status, spinner(`${label}…`));
    try {
      await fn();
      mount(status, h('div.ok', done));
      return true;
    } catch (err) { mount(status, errorBox(err)); return false; }
  }

  async function load() {
    try {
      const res = await api.get(`/groups/picker?query=${enc(filter.value.trim())}&maxResults=100`);
      const groups = res.groups || [];
      if (!groups.length) { mount(list, h('div.empty', h('p', 'No group matches.'))); return; }
      mount(list, h('table.grid.groups',
        h('thead', h('tr', h('th', 'Group'), h('th', ''))),
        h('tbody', groups.map((g) => h(`tr${g.name === chosen ? '.selected' : ''}`, { dataset: { group: g.name } },
          h('td', h('button.linkish.open-group', { type: 'button', onclick: () => { chosen = g.name; load(); showMembers(); } }, g.name)),
          h('td.links', h('button.ghost.danger.delete-group', {
            type: 'button',
            onclick: async () => {
              if (!confirm(`Delete the group ${g.name}? Its members lose what it granted.`)) return;
              if (await act('Deleting', () => api.del(`/group?groupname=${enc(g.name)}`), `Group ${g.name} deleted.`)) {
                if (chosen === g.name) { chosen = null; mount(members, h('p.muted', 'Choose a group to see its members.')); }
                await load();
              }
            },
          }, 'Delete')))))));
    } catch (err) { mount(list, errorBox(err)); }
  }

  async function showMembers() {
    const group = chosen;
    mount(members, spinner(`Loading ${group}…`));
    try {
      const page = await api.get(`/group/member?groupname=${enc(group)}&includeInactiveUsers=true&maxResults=100`);
      const users = page.values || [];
      const who = h('input#member-name', { required: true, placeholder: 'username', 'aria-label': 'Username to add', list: 'member-suggest', autocomplete: 'off' });
      const suggest = h('datalist#member-suggest');
      who.addEventListener('input', async () => {
        const q = who.value.trim();
        if (!q) return;
        const found = await api.get(`/user/search?query=${enc(q)}&maxResults=10`).catch(() => []);
        mount(suggest, found.map((u) => h('option', { value: u.name }, u.displayName)));
      });
      mount(members,
        h('h2', `Members of ${group}`, h('span.badge', String(page.total ?? users.length))),
        users.length ? h('ul.plain.members', users.map((u) => h('li', { dataset: { user: u.name } },
          h('strong', u.displayName), ' ', h('span.muted.mono', u.name), u.active === false ? h('span.muted', ' (inactive)') : null,
          ' ', h('button.linkish.danger.remove-member', {
            type: 'button',
            onclick: async () => {
              if (await act('Removing', () => api.del(`/group/user?groupname=${enc(group)}&username=${enc(u.name)}`), `${u.name} removed from ${group}.`)) showMembers();
            },
          }, 'Remove')))) : h('p.muted', 'No members yet.'),
        h('form.row.add-member', {
          onsubmit: async (e) => {
            e.preventDefault();
            const name = who.value.trim();
            if (await act('Adding', () => api.post(`/group/user?groupname=${enc(group)}`, { name }), `${name} added to ${group}.`)) showMembers();
          },
        }, who, suggest, h('button.primary', { type: 'submit' }, 'Add member')));
    } catch (err) { mount(members, errorBox(err)); }
  }

  const name = h('input#new-group-name', { required: true, placeholder: 'developers', 'aria-label': 'Group name' });
  const form = h('form.row.create-group', {
    onsubmit: async (e) => {
      e.preventDefault();
      const g = name.value.trim();
      if (await act('Creating', () => api.post('/group', { name: g }), `Group ${g} created.`)) {
        form.reset();
        chosen = g;
        await load();
        showMembers();
      }
    },
  }, name, h('button.primary', { type: 'submit' }, 'Create group'));

  mount(el, h('div.split.admin-split', h('section.card', h('h2', 'Groups'), h('div.row', filter), list, form, status), members));
  await load();
  return {};
}

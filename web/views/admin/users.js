// Users: search (inactive users included), create, deactivate or activate, delete.
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox } from '../../dom.js';

export async function usersPage(el, { state }) {
  const list = h('div.user-list', spinner('Loading users…'));
  const status = h('div.status', { 'aria-live': 'polite' });
  const search = h('input#user-search', { type: 'search', placeholder: 'Name, username or email', 'aria-label': 'Search users' });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 200); });

  async function act(label, fn, done) {
    mount(status, spinner(`${label}…`));
    try {
      await fn();
      mount(status, h('div.ok', done));
      await load();
    } catch (err) { mount(status, errorBox(err)); }
  }

  async function load() {
    try {
      const users = await api.get(`/user/search?query=${enc(search.value.trim())}&includeInactive=true&maxResults=100`);
      if (!users.length) { mount(list, h('div.empty', h('p', 'No user matches.'))); return; }
      mount(list, h('table.grid.users',
        h('thead', h('tr', h('th', 'Username'), h('th', 'Name'), h('th', 'Email'), h('th', 'Status'), h('th', ''))),
        h('tbody', users.map((u) => h('tr', { dataset: { user: u.name } },
          h('td.mono', u.name),
          h('td', u.displayName),
          h('td', u.emailAddress || ''),
          h('td', u.active ? h('span.lozenge.cat-done', 'Active') : h('span.lozenge', 'Inactive')),
          h('td.links', u.name === state.me.name ? h('span.muted', 'You') : [
            h('button.ghost.toggle-active', {
              type: 'button',
              onclick: () => act(u.active ? 'Deactivating' : 'Activating',
                () => api.put(`/user?username=${enc(u.name)}`, { active: !u.active }),
                `${u.displayName} ${u.active ? 'deactivated' : 'activated'}.`),
            }, u.active ? 'Deactivate' : 'Activate'),
            h('button.ghost.danger.delete-user', {
              type: 'button',
              onclick: () => confirm(`Delete ${u.name}? Their issues keep a former-user name.`)
                && act('Deleting', () => api.del(`/user?username=${enc(u.name)}`), `${u.name} deleted.`),
            }, 'Delete'),
          ]))))));
    } catch (err) { mount(list, errorBox(err)); }
  }

  const name = h('input#new-user-name', { required: true, placeholder: 'ann', autocomplete: 'off' });
  const display = h('input#new-user-display', { required: true, placeholder: 'Ann Lee' });
  const email = h('input#new-user-email', { type: 'email', required: true, placeholder: 'ann@example.com' });
  const password = h('input#new-user-password', { type: 'password', autocomplete: 'new-password', placeholder: 'Optional' });
  const form = h('form.card.create-user', {
    onsubmit: async (e) => {
      e.preventDefault();
      const body = { name: name.value.trim(), displayName: display.value.trim(), emailAddress: email.value.trim() };
      if (password.value) body.password = password.value;
      await act('Creating', () => api.post('/user', body), `User ${body.name} created.`);
      if (status.querySelector('.ok')) form.reset();
    },
  }, h('h2', 'New user'),
  h('label', 'Username', name), h('label', 'Display name', display), h('label', 'Email', email),
  h('label', 'Password', password),
  h('div.actions', h('button.primary', { type: 'submit' }, 'Create user')));

  mount(el, h('div.split', h('section.card', h('div.row', search), status, list), form));
  await load();
  return { focusSearch: () => search.focus() };
}

// Permission schemes: the list (create, delete), a chosen scheme's grants grouped by
// permission (add, remove), and which scheme each project uses (change it).
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox } from '../../dom.js';

const HOLDERS = [
  ['group', 'Group'], ['projectRole', 'Project role'], ['user', 'User'],
  ['applicationRole', 'Any logged-in user'], ['anyone', 'Anyone (also anonymous)'],
  ['reporter', 'Reporter'], ['assignee', 'Assignee'], ['projectLead', 'Project lead'],
];
const NEEDS_PARAM = new Set(['group', 'projectRole', 'user']);

function holderText(hd) {
  const label = (HOLDERS.find(([t]) => t === hd.type) || [hd.type, hd.type])[1];
  if (hd.type === 'projectRole') return `${label}: ${(hd.projectRole && hd.projectRole.name) || hd.parameter}`;
  if (hd.type === 'user') return `${label}: ${(hd.user && hd.user.displayName) || hd.parameter}`;
  return hd.parameter && NEEDS_PARAM.has(hd.type) ? `${label}: ${hd.parameter}` : label;
}

export async function permissionsPage(el) {
  const [known, roles, groups, projects] = await Promise.all([
    api.get('/permissions'), api.get('/role'),
    api.get('/groups/picker?maxResults=100').then((g) => g.groups || []), api.get('/project'),
  ]);
  const perms = Object.values(known.permissions || {}).filter((p) => p.type === 'PROJECT')
    .sort((a, b) => a.name.localeCompare(b.name));
  const status = h('div.status', { 'aria-live': 'polite' });
  const schemeList = h('div.scheme-list', spinner('Loading schemes…'));
  const grants = h('section.card.grants', h('p.muted', 'Choose a scheme to see its grants.'));
  const usage = h('section.card.scheme-usage', spinner('Loading projects…'));
  let schemes = [];
  let chosen = null;

  async function act(label, fn, done) {
    mount(status, spinner(`${label}…`));
    try {
      await fn();
      mount(status, h('div.ok', done));
      return true;
    } catch (err) { mount(status, errorBox(err)); return false; }
  }

  async function loadSchemes() {
    try {
      schemes = (await api.get('/permissionscheme')).permissionSchemes || [];
      if (chosen == null && schemes.length) chosen = schemes[0].id;
      mount(schemeList, h('table.grid.schemes',
        h('thead', h('tr', h('th', 'Scheme'), h('th', ''))),
        h('tbody', schemes.map((s) => h(`tr${s.id === chosen ? '.selected' : ''}`, { dataset: { scheme: s.name } },
          h('td', h('button.linkish.open-scheme', { type: 'button', onclick: () => { chosen = s.id; loadSchemes(); showGrants(); } }, s.name),
            s.description ? h('div.muted.small', s.description) : null),
          h('td.links', s.id === 0 ? null : h('button.ghost.danger.delete-scheme', {
            type: 'button',
            onclick: async () => {
              if (!confirm(`Delete the scheme ${s.name}?`)) return;
              if (await act('Deleting', () => api.del(`/permissionscheme/${s.id}`), `Scheme ${s.name} deleted.`)) {
                if (chosen === s.id) chosen = null;
                await refresh();
              }
            },
          }, 'Delete')))))));
    } catch (err) { mount(schemeList, errorBox(err)); }
  }

  async function showGrants() {
    const scheme = schemes.find((s) => s.id === chosen);
    if (!scheme) { mount(grants, h('p.muted', 'Choose a scheme to see its grants.')); return; }
    mount(grants, spinner(`Loading ${scheme.name}…`));
    try {
      const all = (await api.get(`/permissionscheme/${scheme.id}/permission?expand=all`)).permissions || [];
      const by = new Map();
      for (const g of all) (by.get(g.permission) || by.set(g.permission, []).get(g.permission)).push(g);
      const name = (key) => (perms.find((p) => p.key === key) || { name: key }).name;
      mount(grants, h('h2', `Grants of ${scheme.name}`), grantForm(scheme),
        by.size ? h('table.grid.grant-table',
          h('thead', h('tr', h('th', 'Permission'), h('th', 'Granted to'))),
          h('tbody', [...by.keys()].sort((a, b) => name(a).localeCompare(name(b))).map((key) => h('tr', { dataset: { permission: key } },
            h('td', h('strong', name(key)), h('div.muted.small.mono', key)),
            h('td', h('div.chips', by.get(key).map((g) => h('span.chip.grant', { dataset: { grant: g.id } }, holderText(g.holder),
              h('button.chip-x', {
                type: 'button',
                'aria-label': `Remove ${holderText(g.holder)} from ${name(key)}`,
                onclick: async () => {
                  if (await act('Removing', () => api.del(`/permissionscheme/${scheme.id}/permission/${g.id}`), 'Grant removed.')) showGrants();
                },
              }, '×'))))))))) : h('p.muted', 'This scheme grants nothing yet.'));
    } catch (err) { mount(grants, errorBox(err)); }
  }

  function grantForm(scheme) {
    const perm = h('select#grant-permission', { 'aria-label': 'Permission' }, perms.map((p) => h('option', { value: p.key, title: p.description }, p.name)));
    const param = h('span.grant-param');
    const kind = h('select#grant-holder', { 'aria-label': 'Granted to', onchange: () => paramFor(kind.value) },
      HOLDERS.map(([t, label]) => h('option', { value: t }, label)));
    function paramFor(t) {
      if (t === 'group') mount(param, h('select#grant-parameter', { 'aria-label': 'Group' }, groups.map((g) => h('option', { value: g.name }, g.name))));
      else if (t === 'projectRole') mount(param, h('select#grant-parameter', { 'aria-label': 'Role' }, roles.map((r) => h('option', { value: String(r.id) }, r.name))));
      else if (t === 'user') mount(param, h('input#grant-parameter', { required: true, placeholder: 'username', 'aria-label': 'Username' }));
      else mount(param);
    }
    paramFor(kind.value);
    return h('form.row.add-grant', {
      onsubmit: async (e) => {
        e.preventDefault();
        const input = param.querySelector('#grant-parameter');
        const holder = { type: kind.value };
        if (input) holder.parameter = input.value.trim();
        if (await act('Granting', () => api.post(`/permissionscheme/${scheme.id}/permission`, { holder, permission: perm.value }), 'Grant added.')) showGrants();
      },
    }, perm, kind, param, h('button.primary', { type: 'submit' }, 'Add grant'));
  }

  async function showUsage() {
    if (!projects.length) { mount(usage, h('h2', 'Projects'), h('p.muted', 'No projects yet.')); return; }
    const rows = await Promise.all(projects.map(async (p) => {
      const current = await api.get(`/project/${enc(p.key)}/permissionscheme`).catch(() => null);
      const select = h('select.project-scheme', {
        'aria-label': `Permission scheme of ${p.key}`,
        onchange: async () => {
          if (await act('Changing', () => api.put(`/project/${enc(p.key)}/permissionscheme`, { id: Number(select.value) }), `${p.key} now uses ${select.selectedOptions[0].textContent}.`)) showUsage();
        },
      }, schemes.map((s) => h('option', { value: String(s.id), selected: current && current.id === s.id }, s.name)));
      return h('tr', { dataset: { project: p.key } }, h('td.mono', p.key), h('td', p.name), h('td', select));
    }));
    mount(usage, h('h2', 'Which scheme each project uses'),
      h('table.grid.project-schemes', h('thead', h('tr', h('th', 'Key'), h('th', 'Project'), h('th', 'Scheme'))), h('tbody', rows)));
  }

  const newName = h('input#new-scheme-name', { required: true, placeholder: 'Strict', 'aria-label': 'Scheme name' });
  const newDesc = h('input#new-scheme-description', { placeholder: 'Description (optional)', 'aria-label': 'Scheme description' });
  const form = h('form.row.create-scheme', {
    onsubmit: async (e) => {
      e.preventDefault();
      const body = { name: newName.value.trim() };
      if (newDesc.value.trim()) body.description = newDesc.value.trim();
      let made = null;
      if (await act('Creating', async () => { made = await api.post('/permissionscheme', body); }, `Scheme ${body.name} created.`)) {
        form.reset();
        chosen = made.id;
        await refresh();
      }
    },
  }, newName, newDesc, h('button.primary', { type: 'submit' }, 'Create scheme'));

  async function refresh() {
    await loadSchemes();
    await Promise.all([showGrants(), showUsage()]);
  }

  mount(el, status, h('div.split.admin-split', h('section.card', h('h2', 'Permission schemes'), schemeList, form), grants), usage);
  await refresh();
  return {};
}

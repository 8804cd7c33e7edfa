// The create-issue dialog (button or `c`): project, type, summary, description, priority.
import { api, enc } from '../api.js';
import { h, mount, spinner, errorBox } from '../dom.js';

export async function openCreateDialog({ navigate, projectKey }) {
  if (document.querySelector('.overlay.create')) return;
  const body = h('div.dialog-body', spinner('Loading projects…'));
  const close = () => overlay.remove();
  const overlay = h('div.overlay.create', { onclick: (e) => e.target === overlay && close() },
    h('div.dialog', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'create-title' },
      h('h2#create-title', 'Create issue'), body));
  document.body.append(overlay);

  let projects, prios;
  try {
    [projects, prios] = await Promise.all([api.get('/project'), api.get('/priority')]);
  } catch (err) {
    mount(body, errorBox(err), h('div.actions', h('button.ghost', { type: 'button', onclick: close }, 'Close')));
    return;
  }
  if (!projects.length) {
    mount(body, h('p', 'Create a project first.'), h('div.actions', h('button.primary', { type: 'button', onclick: () => { close(); navigate('/projects'); } }, 'Go to projects')));
    return;
  }
  const last = localStorage.getItem('tessera.lastProject');
  const chosen = projects.find((p) => p.key === projectKey) || projects.find((p) => p.key === last) || projects[0];
  const project = h('select#create-project', { 'aria-label': 'Project' },
    projects.map((p) => h('option', { value: p.key, selected: p.key === chosen.key }, `${p.name} (${p.key})`)));
  const type = h('select#create-type', { 'aria-label': 'Issue type' });
  const summary = h('input#create-summary', { required: true, maxlength: 255, autocomplete: 'off' });
  const description = h('textarea#create-description', { rows: 5, placeholder: 'Wiki markup' });
  const priority = h('select#create-priority', prios.map((p) => h('option', { value: p.id, selected: p.isDefault }, p.name)));
  const status = h('div');

  async function loadTypes() {
    mount(type, h('option', 'Loading…'));
    try {
      const p = await api.get(`/project/${enc(project.value)}`);
      const types = (p.issueTypes || []).filter((t) => !t.subtask);
      mount(type, types.map((t) => h('option', { value: t.id, selected: t.name === 'Task' }, t.name)));
    } catch (err) {
      mount(status, errorBox(err));
    }
  }
  project.addEventListener('change', loadTypes);

  const form = h('form.create-form', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (!summary.value.trim()) { mount(status, errorBox({ messages: ['A summary is required.'] })); summary.focus(); return; }
      mount(status, spinner('Creating…'));
      try {
        const created = await api.post('/issue', { fields: {
          project: { key: project.value },
          issuetype: { id: type.value },
          summary: summary.value.trim(),
          description: description.value || undefined,
          priority: { id: priority.value },
        } });
        localStorage.setItem('tessera.lastProject', project.value);
        close();
        navigate(`/browse/${created.key}`);
      } catch (err) {
        mount(status, errorBox(err));
      }
    },
  },
  h('div.row', h('label.grow', 'Project', project), h('label', 'Type', type)),
  h('label', 'Summary', summary),
  h('label', 'Description', description),
  h('label', 'Priority', priority),
  status,
  h('div.actions', h('button.primary', { type: 'submit' }, 'Create'), h('button.ghost', { type: 'button', onclick: close }, 'Cancel')));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  mount(body, form);
  summary.focus();
  await loadTypes();
}

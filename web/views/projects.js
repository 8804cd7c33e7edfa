import { api } from '../api.js';
import { h, mount, link, spinner, errorBox } from '../dom.js';

const KEY_RULE = /^[A-Z][A-Z0-9_]{1,9}$/;

/** Jira's project key rule, in words; `null` when the key is valid. */
export function keyProblem(key) {
  if (!key) return 'A project key is required.';
  if (key.length < 2 || key.length > 10) return 'A project key has 2 to 10 characters.';
  if (!/^[A-Z]/.test(key)) return 'A project key starts with an uppercase letter.';
  if (!KEY_RULE.test(key)) return 'A project key holds only uppercase letters, digits and underscores.';
  return null;
}

export async function projectsView(el, _params, { navigate }) {
  const list = h('div.projects', spinner('Loading projects…'));
  const name = h('input#project-name', { name: 'name', required: true, placeholder: 'Website redesign' });
  const key = h('input#project-key', { name: 'key', required: true, placeholder: 'WEB', maxlength: 10, autocapitalize: 'characters' });
  const desc = h('input#project-description', { name: 'description', placeholder: 'Optional' });
  const keyHint = h('small.hint#project-key-hint', 'Uppercase letter first, then letters, digits or _ (2–10).');
  const status = h('div.status');
  let keyEdited = false;
  name.addEventListener('input', () => {
    if (keyEdited) return;
    key.value = name.value.toUpperCase().replace(/[^A-Z0-9_]/g, '').replace(/^[^A-Z]+/, '').slice(0, 10);
    check();
  });
  key.addEventListener('input', () => {
    keyEdited = true;
    key.value = key.value.toUpperCase();
    check();
  });
  function check() {
    const problem = key.value ? keyProblem(key.value) : null;
    keyHint.textContent = problem || 'Uppercase letter first, then letters, digits or _ (2–10).';
    keyHint.classList.toggle('bad', !!problem);
    key.setAttribute('aria-invalid', problem ? 'true' : 'false');
    return !problem;
  }
  const form = h(
    'form.card.create-project',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        const problem = keyProblem(key.value);
        if (problem) {
          mount(status, errorBox({ messages: [problem] }));
          key.focus();
          return;
        }
        mount(status, spinner('Creating…'));
        try {
          await api.post('/project', {
            key: key.value,
            name: name.value.trim(),
            description: desc.value.trim() || undefined,
            projectTypeKey: 'software',
          });
          navigate(`/board/${key.value}`);
        } catch (err) {
          mount(status, errorBox(err));
        }
      },
    },
    h('h2', 'New project'),
    h('div.row', h('label.grow', 'Name', name), h('label', 'Key', key)),
    keyHint,
    h('label', 'Description', desc),
    h('div.actions', h('button.primary', { type: 'submit' }, 'Create project')),
    status,
  );
  mount(el, h('div.page-head', h('h1', 'Projects')), h('div.split', list, form));
  try {
    const projects = await api.get('/project');
    if (!projects.length) {
      mount(list, h('div.empty', h('p', 'No projects yet.'), h('p', 'Create the first one with the form.')));
    } else {
      mount(
        list,
        h(
          'table.grid',
          h('thead', h('tr', h('th', 'Key'), h('th', 'Name'), h('th', ''))),
          h(
            'tbody',
            projects.map((p) =>
              h(
                'tr',
                h('td.mono', p.key),
                h('td', link(`/issues?jql=${encodeURIComponent(`project = ${p.key} ORDER BY updated DESC`)}`, p.name)),
                h('td.links', link(`/board/${p.key}`, 'Board')),
              ),
            ),
          ),
        ),
      );
    }
  } catch (err) {
    mount(list, errorBox(err));
  }
  return {};
}

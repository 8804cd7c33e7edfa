// The issue view: summary and description editing, the side panel (status transitions,
// assignee, priority, labels), comments, history and sub-tasks.
import { api, enc } from '../api.js';
import { h, mount, link, spinner, errorBox, trustedHtml, formatDate, lozenge } from '../dom.js';

let priorities = null;
const loadPriorities = () => (priorities ||= api.get('/priority').catch((e) => { priorities = null; throw e; }));

export async function issueView(el, [key], { state, navigate }) {
  mount(el, spinner(`Loading ${key}…`));
  const base = `/issue/${enc(key)}`;
  const [issue, comments, prios] = await Promise.all([
    api.get(`${base}?expand=renderedFields,transitions`),
    api.get(`${base}/comment?expand=renderedBody`),
    loadPriorities(),
  ]);
  const f = issue.fields;
  const flash = h('div.flash', { 'aria-live': 'polite' });
  const reload = () => issueView(el, [issue.key], { state, navigate });

  async function save(label, body, path = base, method = 'put') {
    mount(flash, spinner(`Saving ${label}…`));
    try {
      await api[method](path, body);
      await reload();
    } catch (err) {
      mount(flash, errorBox(err));
      throw err;
    }
  }

  // Summary: click (or press e) to edit; Enter saves, Escape cancels.
  const summary = h('h1.summary#summary', { tabindex: 0, title: 'Click to edit' }, f.summary);
  function editSummary() {
    const input = h('input.summary-input#summary-input', { value: f.summary, 'aria-label': 'Summary' });
    const done = async (commit) => {
      if (commit && input.value.trim() && input.value.trim() !== f.summary) {
        input.disabled = true;
        try { await save('summary', { fields: { summary: input.value.trim() } }); } catch { input.disabled = false; input.focus(); }
      } else {
        input.replaceWith(summary);
      }
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); done(true); }
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); done(false); }
    });
    summary.replaceWith(input);
    input.focus();
    input.select();
  }
  summary.addEventListener('click', editSummary);
  summary.addEventListener('keydown', (e) => { if (e.key === 'Enter') editSummary(); });

  // Description: the server's sanitised rendering, or a wiki-markup editor.
  const rendered = issue.renderedFields && issue.renderedFields.description;
  const descView = rendered
    ? trustedHtml('markup', rendered)
    : h('p.muted.placeholder', 'No description. Click Edit to add one.');
  const descBox = h('section.description', h('div.section-head', h('h2', 'Description'),
    h('button.ghost#edit-description', { type: 'button', onclick: editDescription }, 'Edit')), descView);
  function editDescription() {
    const area = h('textarea.editor#description-input', { rows: 8, 'aria-label': 'Description (wiki markup)' });
    area.value = f.description || '';
    const preview = h('div.preview', { hidden: true }, rendered ? trustedHtml('markup', rendered) : h('p.muted', 'Nothing saved yet.'));
    const tabs = h('div.tabs',
      h('button.tab.active', { type: 'button', onclick: (e) => { area.hidden = false; preview.hidden = true; setTab(e.target); } }, 'Write'),
      h('button.tab', { type: 'button', onclick: (e) => { area.hidden = true; preview.hidden = false; setTab(e.target); } }, 'Preview (saved)'));
    const setTab = (b) => tabs.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === b));
    mount(descBox, h('div.section-head', h('h2', 'Description'), tabs), area, preview,
      h('p.hint', 'Wiki markup: *bold*, _italic_, h2. heading, * bullet, {code}…{code}. Preview shows the saved text as the server renders it.'),
      h('div.actions',
        h('button.primary', { type: 'button', onclick: () => save('description', { fields: { description: area.value } }).catch(() => {}) }, 'Save'),
        h('button.ghost', { type: 'button', onclick: reload }, 'Cancel')));
    area.focus();
  }

  // Side panel.
  const transitions = (issue.transitions || []).filter((t) => !f.status || t.to.id !== f.status.id);
  const me = state.me;
  const prioritySelect = h('select#priority', { 'aria-label': 'Priority', onchange: (e) => save('priority', { fields: { priority: { id: e.target.value } } }).catch(() => {}) },
    prios.map((p) => h('option', { value: p.id, selected: f.priority && f.priority.id === p.id }, p.name)));
  const labelInput = h('input#label-input', { placeholder: 'Add label', 'aria-label': 'Add label' });
  labelInput.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !labelInput.value.trim()) return;
    e.preventDefault();
    const label = labelInput.value.trim().replace(/\s+/g, '_');
    save('labels', { update: { labels: [{ add: label }] } }).catch(() => {});
  });
  const assignToMe = () => save('assignee', { name: me.name }, `${base}/assignee`).catch(() => {});
  const side = h('aside.side',
    h('div.field', h('h3', 'Status'), h('div', lozenge(f.status)),
      h('div.transitions', transitions.map((t) => h('button.ghost.transition', {
        type: 'button', dataset: { to: t.to.name },
        onclick: () => save(`status → ${t.to.name}`, { transition: { id: t.id } }, `${base}/transitions`, 'post').catch(() => {}),
      }, t.name)))),
    h('div.field', h('h3', 'Assignee'), h('div#assignee', f.assignee ? f.assignee.displayName : h('span.muted', 'Unassigned')),
      (!f.assignee || f.assignee.name !== me.name) && h('button.linkish#assign-me', { type: 'button', onclick: assignToMe }, 'Assign to me')),
    h('div.field', h('h3', 'Priority'), prioritySelect),
    h('div.field', h('h3', 'Labels'), h('div.chips', (f.labels || []).map((l) => h('span.chip', l,
      h('button.chip-x', { type: 'button', 'aria-label': `Remove label ${l}`, onclick: () => save('labels', { update: { labels: [{ remove: l }] } }).catch(() => {}) }, '×')))), labelInput),
    h('div.field', h('h3', 'Type'), f.issuetype ? f.issuetype.name : ''),
    h('div.field', h('h3', 'Reporter'), f.reporter ? f.reporter.displayName : ''),
    h('div.field', h('h3', 'Created'), formatDate(f.created)),
    h('div.field', h('h3', 'Updated'), formatDate(f.updated)),
    f.resolution && h('div.field', h('h3', 'Resolution'), f.resolution.name),
  );

  const subtasks = (f.subtasks || []).length
    ? h('section.subtasks', h('h2', 'Sub-tasks'), h('ul.plain', f.subtasks.map((s) => h('li', link(`/browse/${s.key}`, s.key), ' ', s.fields.summary, ' ', lozenge(s.fields.status)))))
    : null;

  // Comments and history tabs.
  const activity = h('div.activity');
  const commentList = () => h('div.comments',
    (comments.comments || []).length ? comments.comments.map((c) => h('article.comment',
      h('header', h('strong', c.author ? c.author.displayName : 'Anonymous'), ' ', h('time.muted', { datetime: c.created }, formatDate(c.created))),
      c.renderedBody != null ? trustedHtml('markup', c.renderedBody) : h('p', c.body))) : h('p.muted', 'No comments yet.'),
    commentForm());
  function commentForm() {
    const area = h('textarea.editor#comment-input', { rows: 3, placeholder: 'Add a comment… (wiki markup)', 'aria-label': 'Comment' });
    const status = h('div');
    return h('form.comment-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        if (!area.value.trim()) return;
        mount(status, spinner('Posting…'));
        try {
          await api.post(`${base}/comment`, { body: area.value });
          await reload();
        } catch (err) { mount(status, errorBox(err)); }
      },
    }, area, h('div.actions', h('button.primary', { type: 'submit' }, 'Comment')), status);
  }
  async function history() {
    mount(activity, spinner('Loading history…'));
    try {
      const log = await api.get(`${base}/changelog?maxResults=100`);
      const values = log.values || [];
      mount(activity, values.length ? h('ol.history', values.slice().reverse().map((v) => h('li',
        h('header', h('strong', v.author ? v.author.displayName : 'Someone'), ' ', h('time.muted', formatDate(v.created))),
        h('ul.plain', v.items.map((it) => h('li', h('span.hfield', it.field), ': ', h('del', it.fromString || 'None'), ' → ', h('ins', it.toString || 'None'))))))) : h('p.muted', 'No changes yet.'));
    } catch (err) { mount(activity, errorBox(err)); }
  }
  const tabs = h('div.tabs', { role: 'tablist' },
    h('button.tab.active#tab-comments', { type: 'button', role: 'tab', onclick: (e) => { setTab(e.target); mount(activity, commentList()); } }, `Comments (${(comments.comments || []).length})`),
    h('button.tab#tab-history', { type: 'button', role: 'tab', onclick: (e) => { setTab(e.target); history(); } }, 'History'));
  const setTab = (b) => tabs.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === b));
  mount(activity, commentList());

  const project = f.project || {};
  mount(el,
    h('nav.crumbs', link(`/issues?jql=${enc(`project = ${project.key} ORDER BY updated DESC`)}`, project.name || project.key), ' / ',
      link(`/board/${project.key}`, 'Board'), ' / ', h('span.mono#issue-key', issue.key)),
    flash,
    h('div.issue-layout',
      h('div.issue-main', summary, descBox, subtasks, h('section', tabs, activity)),
      side));

  return {
    projectKey: project.key,
    keys(e) {
      if (e.key === 'e') { editSummary(); return true; }
      if (e.key === 'a') { assignToMe(); return true; }
      return false;
    },
  };
}

// The issue view: summary and description editing, the side panel (status transitions,
// assignee, priority, labels), comments, history and sub-tasks.
import { api, enc } from '../api.js';
import { h, mount, link, spinner, errorBox, trustedHtml, formatDate, lozenge } from '../dom.js';

let priorities = null;
const loadPriorities = () => (priorities ||= api.get('/priority').catch((e) => { priorities = null; throw e; }));

export async function issueView(el, [key], { state, navigate }) {
  mount(el, spinner(`Loading ${key}…`));
  const base = `/issue/${enc(key)}`;
  // Everything in one round: the project's key is the issue key's prefix, so its
  // components and versions need not wait for the issue.
  const projectKey = key.replace(/-\d+$/, '');
  const soft = (p, empty) => p.catch(() => empty);
  const [issue, comments, prios, assignable, components, versions, watch, votes] = await Promise.all([
    api.get(`${base}?expand=renderedFields,transitions`),
    api.get(`${base}/comment?expand=renderedBody`),
    loadPriorities(),
    soft(api.get(`/user/assignable/search?issueKey=${enc(key)}&maxResults=200`), []),
    soft(api.get(`/project/${enc(projectKey)}/components`), []),
    soft(api.get(`/project/${enc(projectKey)}/versions`), []),
    soft(api.get(`${base}/watchers`), null),
    soft(api.get(`${base}/votes`), null),
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
  const labelList = h('datalist#label-suggestions');
  const labelInput = h('input#label-input', { placeholder: 'Add label', 'aria-label': 'Add label', list: 'label-suggestions', autocomplete: 'off' });
  let labelSeq = 0;
  labelInput.addEventListener('input', async () => {
    const my = ++labelSeq;
    try {
      const r = await api.get(`/jql/autocompletedata/suggestions?fieldName=labels&fieldValue=${enc(labelInput.value.trim())}`);
      if (my !== labelSeq) return;
      const have = new Set(f.labels || []);
      mount(labelList, (r.results || []).filter((x) => !have.has(x.value)).map((x) => h('option', { value: x.value })));
    } catch { /* suggestions are a convenience; typing still works */ }
  });
  labelInput.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !labelInput.value.trim()) return;
    e.preventDefault();
    const label = labelInput.value.trim().replace(/\s+/g, '_');
    save('labels', { update: { labels: [{ add: label }] } }).catch(() => {});
  });
  const assignToMe = () => save('assignee', { name: me.name }, `${base}/assignee`).catch(() => {});
  const users = [...assignable];
  if (f.assignee && !users.some((u) => u.name === f.assignee.name)) users.unshift(f.assignee);
  const assigneeSelect = h('select#assignee-select', {
    'aria-label': 'Assignee',
    onchange: (e) => save('assignee', { name: e.target.value || null }, `${base}/assignee`).catch(() => {}),
  }, h('option', { value: '' }, 'Unassigned'),
  users.map((u) => h('option', { value: u.name, selected: f.assignee && f.assignee.name === u.name }, u.displayName)));
  const due = h('input#duedate', { type: 'date', value: f.duedate || '', 'aria-label': 'Due date',
    onchange: (e) => save('due date', { fields: { duedate: e.target.value || null } }).catch(() => {}) });

  /** Chips for a multi-value field of the project (components, fix versions) and a picker to add one. */
  function multi(field, id, label, current, all) {
    const have = new Set((current || []).map((x) => x.id));
    const rest = all.filter((x) => !have.has(x.id) && !x.archived);
    return h(`div.field#${id}`, h('h3', label),
      h('div.chips', (current || []).map((x) => h('span.chip', x.name,
        h('button.chip-x', { type: 'button', 'aria-label': `Remove ${x.name}`, onclick: () => save(label.toLowerCase(), { update: { [field]: [{ remove: { id: x.id } }] } }).catch(() => {}) }, '×')))),
      all.length
        ? h(`select#${id}-add`, { 'aria-label': `Add ${label.toLowerCase()}`, onchange: (e) => e.target.value && save(label.toLowerCase(), { update: { [field]: [{ add: { id: e.target.value } }] } }).catch(() => {}) },
          h('option', { value: '' }, `Add…`), rest.map((x) => h('option', { value: x.id }, x.name)))
        : h('span.muted.small', `The project has no ${label.toLowerCase()}.`));
  }

  const watching = watch && watch.isWatching;
  const voted = votes && votes.hasVoted;
  const watchButton = watch && h('button.ghost#watch', {
    type: 'button', 'aria-pressed': watching ? 'true' : 'false',
    onclick: () => (watching
      ? save('watching', undefined, `${base}/watchers?username=${enc(me.name)}`, 'del')
      : save('watching', undefined, `${base}/watchers`, 'post')).catch(() => {}),
  }, watching ? 'Stop watching' : 'Watch', h('span.badge#watch-count', String(watch.watchCount || 0)));
  const ownIssue = f.reporter && f.reporter.name === me.name;
  const voteButton = votes && h('button.ghost#vote', {
    type: 'button', 'aria-pressed': voted ? 'true' : 'false',
    title: ownIssue && !voted ? 'You reported this issue; reporters cannot vote for their own issues.' : null,
    disabled: ownIssue && !voted,
    onclick: () => (voted ? save('vote', undefined, `${base}/votes`, 'del') : save('vote', undefined, `${base}/votes`, 'post')).catch(() => {}),
  }, voted ? 'Remove vote' : 'Vote', h('span.badge#vote-count', String(votes.votes || 0)));
  const side = h('aside.side',
    h('div.field', h('h3', 'Status'), h('div', lozenge(f.status)),
      h('div.transitions', transitions.map((t) => h('button.ghost.transition', {
        type: 'button', dataset: { to: t.to.name },
        onclick: () => save(`status → ${t.to.name}`, { transition: { id: t.id } }, `${base}/transitions`, 'post').catch(() => {}),
      }, t.name)))),
    h('div.field', h('div.watch-vote', watchButton, voteButton)),
    h('div.field', h('h3', 'Assignee'), h('div#assignee', f.assignee ? f.assignee.displayName : h('span.muted', 'Unassigned')),
      assigneeSelect,
      (!f.assignee || f.assignee.name !== me.name) && h('button.linkish#assign-me', { type: 'button', onclick: assignToMe }, 'Assign to me')),
    h('div.field', h('h3', 'Priority'), prioritySelect),
    h('div.field', h('h3', 'Labels'), h('div.chips', (f.labels || []).map((l) => h('span.chip', l,
      h('button.chip-x', { type: 'button', 'aria-label': `Remove label ${l}`, onclick: () => save('labels', { update: { labels: [{ remove: l }] } }).catch(() => {}) }, '×')))), labelInput, labelList),
    h('div.field', h('h3', 'Due date'), due),
    multi('components', 'components', 'Components', f.components, components),
    multi('fixVersions', 'fix-versions', 'Fix versions', f.fixVersions, versions),
    h('div.field', h('h3', 'Type'), f.issuetype ? f.issuetype.name : ''),
    h('div.field', h('h3', 'Reporter'), f.reporter ? f.reporter.displayName : ''),
    h('div.field', h('h3', 'Created'), formatDate(f.created)),
    h('div.field', h('h3', 'Updated'), formatDate(f.updated)),
    f.resolution && h('div.field', h('h3', 'Resolution'), f.resolution.name),
  );

  const subtasks = (f.subtasks || []).length
    ? h('section.subtasks', h('h2', 'Sub-tasks'), h('ul.plain', f.subtasks.map((s) => h('li', link(`/browse/${s.key}`, s.key), ' ', s.fields.summary, ' ', lozenge(s.fields.status)))))
    : null;

  const links = (f.issuelinks || []).length
    ? h('section.links#issue-links', h('h2', 'Links'), h('ul.plain', f.issuelinks.map((l) => {
      const other = l.outwardIssue || l.inwardIssue;
      const how = l.outwardIssue ? l.type.outward : l.type.inward;
      return h('li', h('span.muted.link-type', how), ' ', link(`/browse/${other.key}`, other.key), ' ',
        (other.fields && other.fields.summary) || '', ' ', other.fields && lozenge(other.fields.status));
    })))
    : null;

  // Comments and history tabs.
  const activity = h('div.activity');
  const commentList = () => h('div.comments',
    (comments.comments || []).length ? comments.comments.map(comment) : h('p.muted', 'No comments yet.'),
    commentForm());
  function comment(c) {
    const mine = c.author && c.author.name === me.name;
    const bodyEl = c.renderedBody != null ? trustedHtml('markup', c.renderedBody) : h('p', c.body);
    const status = h('div');
    const art = h('article.comment', { dataset: { id: c.id } },
      h('header', h('strong', c.author ? c.author.displayName : 'Anonymous'), ' ', h('time.muted', { datetime: c.created }, formatDate(c.created)),
        c.updated && c.updated !== c.created ? h('span.muted', ' (edited)') : null,
        mine && h('span.comment-actions',
          h('button.linkish.edit-comment', { type: 'button', onclick: edit }, 'Edit'),
          h('button.linkish.danger.delete-comment', { type: 'button', onclick: remove }, 'Delete'))),
      bodyEl, status);
    function edit() {
      const area = h('textarea.editor.comment-edit', { rows: 3, 'aria-label': 'Edit comment' });
      area.value = c.body || '';
      const form = h('form.comment-edit-form', {
        onsubmit: async (e) => {
          e.preventDefault();
          mount(status, spinner('Saving…'));
          try {
            await api.put(`${base}/comment/${enc(c.id)}`, { body: area.value });
            await reload();
          } catch (err) { mount(status, errorBox(err)); }
        },
      }, area, h('div.actions', h('button.primary', { type: 'submit' }, 'Save'), h('button.ghost', { type: 'button', onclick: () => form.replaceWith(bodyEl) }, 'Cancel')));
      bodyEl.replaceWith(form);
      area.focus();
    }
    async function remove() {
      if (!confirm('Delete this comment? This cannot be undone.')) return;
      mount(status, spinner('Deleting…'));
      try {
        await api.del(`${base}/comment/${enc(c.id)}`);
        await reload();
      } catch (err) { mount(status, errorBox(err)); }
    }
    return art;
  }
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
      h('div.issue-main', summary, descBox, subtasks, links, h('section', tabs, activity)),
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

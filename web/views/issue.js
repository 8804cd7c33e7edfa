// The issue view: summary and description editing, the side panel (status transitions,
// assignee, priority, labels), attachments (drag and drop), web links, work log,
// comments, history and sub-tasks.
import { api, enc, upload } from '../api.js';
import { h, mount, link, spinner, errorBox, trustedHtml, formatDate, lozenge } from '../dom.js';
import { loadSecurity, securityBadge, securityField } from './security.js';

let priorities = null;
const loadPriorities = () => (priorities ||= api.get('/priority').catch((e) => { priorities = null; throw e; }));

export async function issueView(el, [key], { state, navigate }) {
  mount(el, spinner(`Loading ${key}…`));
  const base = `/issue/${enc(key)}`;
  // Everything in one round: the project's key is the issue key's prefix, so its
  // components and versions need not wait for the issue.
  const projectKey = key.replace(/-\d+$/, '');
  const soft = (p, empty) => p.catch(() => empty);
  const [issue, comments, prios, assignable, components, versions, watch, votes, worklogs, webLinks, security] = await Promise.all([
    api.get(`${base}?expand=renderedFields,transitions`),
    api.get(`${base}/comment?expand=renderedBody`),
    loadPriorities(),
    soft(api.get(`/user/assignable/search?issueKey=${enc(key)}&maxResults=200`), []),
    soft(api.get(`/project/${enc(projectKey)}/components`), []),
    soft(api.get(`/project/${enc(projectKey)}/versions`), []),
    soft(api.get(`${base}/watchers`), null),
    soft(api.get(`${base}/votes`), null),
    soft(api.get(`${base}/worklog?maxResults=100`), { worklogs: [] }),
    soft(api.get(`${base}/remotelink`), []),
    loadSecurity(projectKey),
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
    securityField(f.security, security, save),
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

  // Attachments: drop files on the zone (or choose them); images show a thumbnail.
  const attachStatus = h('div.attach-status', { 'aria-live': 'polite' });
  async function uploadFiles(files) {
    if (!files.length) return;
    mount(attachStatus, spinner(`Uploading ${files.length} file${files.length > 1 ? 's' : ''}…`));
    try {
      await upload(`${base}/attachments`, files);
      await reload();
    } catch (err) { mount(attachStatus, errorBox(err)); }
  }
  const fileInput = h('input#attach-input', { type: 'file', multiple: true, hidden: true, onchange: (e) => uploadFiles([...e.target.files]) });
  const dropZone = h('div.drop-zone#drop-zone', {
    tabindex: 0,
    role: 'button',
    'aria-label': 'Attach files',
    onclick: () => fileInput.click(),
    onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileInput.click(); } },
    ondragover: (e) => { e.preventDefault(); dropZone.classList.add('over'); },
    ondragleave: () => dropZone.classList.remove('over'),
    ondrop: (e) => { e.preventDefault(); dropZone.classList.remove('over'); uploadFiles([...e.dataTransfer.files]); },
  }, 'Drop files here or click to attach', fileInput);
  const size = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);
  const attachments = h('section.attachments#attachments', h('h2', 'Attachments'),
    (f.attachment || []).length ? h('ul.plain.attachment-list', f.attachment.map((a) => h('li.attachment', { dataset: { id: a.id } },
      a.thumbnail ? h('img.thumb', { src: a.thumbnail, alt: '', loading: 'lazy' }) : h('span.file-icon', { 'aria-hidden': 'true' }, ((/\.([a-z0-9]{1,4})$/i.exec(a.filename) || [])[1] || 'file').toUpperCase()),
      h('a.attachment-name', { href: a.content, download: a.filename, rel: 'noopener' }, a.filename),
      h('span.muted', ` ${size(a.size)} · ${a.author ? a.author.displayName : ''} · ${formatDate(a.created)}`),
      h('button.ghost.danger.delete-attachment', {
        type: 'button',
        'aria-label': `Delete ${a.filename}`,
        onclick: async () => {
          if (!confirm(`Delete ${a.filename}? This cannot be undone.`)) return;
          mount(attachStatus, spinner('Deleting…'));
          try { await api.del(`/attachment/${enc(a.id)}`); await reload(); } catch (err) { mount(attachStatus, errorBox(err)); }
        },
      }, '×')))) : null,
    dropZone, attachStatus);

  // Web links (remote links): only http(s) addresses become links.
  const safeUrl = (u) => /^https?:\/\//i.test(u || '');
  const linkStatus = h('div');
  const linkUrl = h('input#weblink-url', { type: 'url', placeholder: 'https://…', 'aria-label': 'Link address', required: true });
  const linkTitle = h('input#weblink-title', { placeholder: 'Title', 'aria-label': 'Link title', required: true });
  const webLinkSection = h('section.web-links#web-links', h('h2', 'Web links'),
    webLinks.length ? h('ul.plain', webLinks.map((l) => h('li',
      l.object && safeUrl(l.object.url)
        ? h('a', { href: l.object.url, rel: 'noopener noreferrer', target: '_blank' }, l.object.title || l.object.url)
        : h('span', (l.object && l.object.title) || ''),
      ' ', h('button.linkish.danger.delete-weblink', {
        type: 'button',
        onclick: async () => {
          mount(linkStatus, spinner('Removing…'));
          try { await api.del(`${base}/remotelink/${enc(l.id)}`); await reload(); } catch (err) { mount(linkStatus, errorBox(err)); }
        },
      }, 'Remove')))) : null,
    h('form.row.weblink-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        mount(linkStatus, spinner('Adding…'));
        try {
          await api.post(`${base}/remotelink`, { object: { url: linkUrl.value.trim(), title: linkTitle.value.trim() } });
          await reload();
        } catch (err) { mount(linkStatus, errorBox(err)); }
      },
    }, linkUrl, linkTitle, h('button', { type: 'submit' }, 'Add link')),
    linkStatus);

  // Work log: time logged, and a form to log more (durations as Jira reads them).
  const tt = f.timetracking || {};
  const logStatus = h('div');
  const spent = h('input#worklog-time', { placeholder: '1h 30m', 'aria-label': 'Time spent', required: true });
  const logComment = h('input#worklog-comment', { placeholder: 'What was done', 'aria-label': 'Work description' });
  const workLog = h('section.worklogs#worklogs', h('h2', 'Work log'),
    h('p.muted.time-summary', `Logged ${tt.timeSpent || '0m'}`, tt.originalEstimate ? ` of ${tt.originalEstimate} estimated` : '',
      tt.remainingEstimate ? ` · ${tt.remainingEstimate} remaining` : ''),
    (worklogs.worklogs || []).length ? h('ul.plain.worklog-list', worklogs.worklogs.map((w) => h('li',
      h('strong', w.timeSpent), ' ', w.author ? w.author.displayName : '', ' ', h('time.muted', formatDate(w.started)),
      w.comment ? h('span', ` — ${w.comment}`) : null))) : null,
    h('form.row.worklog-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        mount(logStatus, spinner('Logging…'));
        try {
          const body = { timeSpent: spent.value.trim() };
          if (logComment.value.trim()) body.comment = logComment.value.trim();
          await api.post(`${base}/worklog`, body);
          await reload();
        } catch (err) { mount(logStatus, errorBox(err)); }
      },
    }, spent, logComment, h('button', { type: 'submit' }, 'Log work')),
    logStatus);

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
        c.jsdPublic === false && h('span.badge.internal-badge', { title: 'Service desk customers do not see it' }, 'Internal note'),
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
      link(`/board/${project.key}`, 'Board'), ' / ', h('span.mono#issue-key', issue.key), ' ', securityBadge(f.security)),
    flash,
    h('div.issue-layout',
      h('div.issue-main', summary, descBox, subtasks, links, attachments, webLinkSection, workLog, h('section', tabs, activity)),
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

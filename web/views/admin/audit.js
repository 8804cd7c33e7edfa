// The audit log (`auditing/record`): newest first, a text filter and paging.
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox, formatDate } from '../../dom.js';

const LIMIT = 25;

export async function auditPage(el) {
  const table = h('div.audit-table', spinner('Loading the audit log…'));
  const pager = h('div.pager');
  const filter = h('input#audit-filter', { type: 'search', placeholder: 'Filter: summary, object, author, changed value…', 'aria-label': 'Filter the audit log' });
  let offset = 0;
  let timer = null;
  filter.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { offset = 0; load(); }, 250); });

  const changes = (r) => (r.changedValues || []).map((c) => h('div.small',
    h('span.hfield', c.fieldName), ': ', c.changedFrom != null ? h('del', c.changedFrom) : null, c.changedFrom != null ? ' → ' : null,
    c.changedTo != null ? h('ins', c.changedTo) : h('span.muted', 'none')));

  async function load() {
    table.classList.add('busy');
    try {
      const q = filter.value.trim();
      const res = await api.get(`/auditing/record?offset=${offset}&limit=${LIMIT}${q ? `&filter=${enc(q)}` : ''}`);
      const records = res.records || [];
      mount(table, records.length ? h('table.grid.audit',
        h('thead', h('tr', h('th', 'When'), h('th', 'Summary'), h('th', 'Category'), h('th', 'Objects'), h('th', 'Changes'), h('th', 'Author'), h('th', 'Client address'))),
        h('tbody', records.map((r) => h('tr', { dataset: { id: r.id } },
          h('td', h('time', { datetime: r.created, title: r.created }, formatDate(r.created))),
          h('td', r.summary),
          h('td.muted', r.category || ''),
          h('td', [r.objectItem, ...(r.associatedItems || [])].filter(Boolean).map((it) => h('div.small.audit-item', h('span.muted', `${(it.typeName || '').toLowerCase()} `), it.name))),
          h('td', changes(r)),
          h('td.mono', r.authorKey || ''),
          h('td.mono', r.remoteAddress || ''))))) : h('div.empty', h('p', q ? 'No record matches the filter.' : 'No records yet.')));
      const total = res.total || 0;
      mount(pager,
        h('button.ghost#audit-prev', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - LIMIT); load(); } }, 'Previous'),
        h('span.count#audit-range', total ? `${offset + 1}–${offset + records.length} of ${total}` : '0 records'),
        h('button.ghost#audit-next', { type: 'button', disabled: offset + records.length >= total, onclick: () => { offset += LIMIT; load(); } }, 'Next'));
    } catch (err) {
      mount(table, errorBox(err));
    } finally {
      table.classList.remove('busy');
    }
  }

  mount(el, h('section.card.audit-card', h('div.row', filter), table, pager));
  await load();
  return { focusSearch: () => filter.focus() };
}

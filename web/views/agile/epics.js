// The epics panel: the board's epics with their colour; choosing one filters the backlog
// to its issues (by the Epic Link field the rows carry), "All issues" clears the filter.
import { h } from '../../dom.js';
import { agile } from './client.js';

export async function loadEpics(boardId) {
  const out = [];
  for (let start = 0; ; ) {
    const page = await agile.get(`/board/${boardId}/epic?startAt=${start}&maxResults=50`);
    out.push(...(page.values || []));
    start += (page.values || []).length;
    if (page.isLast !== false || !(page.values || []).length) return out;
  }
}

/** `onPick(key | null | '')`: an epic key, null for all issues, '' for issues without an epic. */
export function epicsPanel(epics, selected, onPick) {
  const item = (label, value, color) => h('li', h('button.epic-pick', {
    type: 'button', 'aria-pressed': String(selected === value), dataset: { epic: value == null ? '*' : value },
    onclick: () => onPick(value),
  }, color ? h('span.swatch', { dataset: { color }, 'aria-hidden': 'true' }) : null, label));
  return h('aside.epics', { 'aria-label': 'Epics' },
    h('h2', 'Epics'),
    h('ul', item('All issues', null),
      epics.map((e) => item(e.name || e.summary || e.key, e.key, e.color && e.color.key)),
      item('Issues without epic', '')),
    epics.length ? null : h('p.muted', 'No epics on this board.'));
}

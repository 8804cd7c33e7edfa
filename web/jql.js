// The JQL bar: a client-side tokeniser for syntax highlighting, autocomplete from
// `/jql/autocompletedata` (fields, operators, functions) and `/suggestions` (values),
// and the server's error shown inline with its position underlined.
import { api, enc } from './api.js';
import { h, mount } from './dom.js';

const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc',
  'was', 'changed', 'to', 'from', 'after', 'before', 'on', 'during',
]);
const TOKEN = /(\s+)|("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(!=|!~|>=|<=|=|~|<|>)|([(),])|([^\s"'()=,!~<>]+|[!])/gy;

/** Splits JQL into tokens `{type, text, start, end}`; `type` is one of ws, string, op,
 *  paren, comma, keyword, function, field, value. Never throws, whatever the input. */
export function tokenize(src) {
  const raw = [];
  TOKEN.lastIndex = 0;
  let m;
  while (TOKEN.lastIndex < src.length && (m = TOKEN.exec(src))) {
    const [text, ws, str, op, punct] = m;
    const type = ws ? 'ws' : str ? 'string' : op ? 'op' : punct ? (punct === ',' ? 'comma' : 'paren') : 'word';
    raw.push({ type, text, start: m.index, end: m.index + text.length });
  }
  const sig = raw.filter((t) => t.type !== 'ws');
  let orderBy = false;
  sig.forEach((t, i) => {
    const next = sig[i + 1];
    const prev = sig[i - 1];
    const lower = t.text.toLowerCase();
    if (t.type === 'word') {
      if (next && next.type === 'paren' && next.text === '(' && !KEYWORDS.has(lower)) t.type = 'function';
      else if (KEYWORDS.has(lower) && !(next && next.type === 'op')) t.type = 'keyword';
      else if (orderBy && prev && (prev.type === 'comma' || prev.text.toLowerCase() === 'by')) t.type = 'field';
      else if (next && (next.type === 'op' || ['in', 'not', 'is', 'was', 'changed'].includes(next.text.toLowerCase()))) t.type = 'field';
      else t.type = 'value';
      if (lower === 'by' && prev && prev.text.toLowerCase() === 'order') orderBy = true;
    } else if (t.type === 'string' && next && next.type === 'op' && !orderBy) {
      t.type = 'field';
    }
  });
  return raw;
}

/** The text before the top-level `ORDER BY`, and the first sort key after it. */
export function splitOrderBy(jql) {
  const toks = tokenize(jql).filter((t) => t.type !== 'ws');
  for (let i = 0; i < toks.length - 1; i++) {
    if (toks[i].type === 'keyword' && toks[i].text.toLowerCase() === 'order' && toks[i + 1].text.toLowerCase() === 'by') {
      const field = toks[i + 2] ? toks[i + 2].text.replace(/^"|"$/g, '') : null;
      const dirTok = toks[i + 3];
      const dir = dirTok && /^(asc|desc)$/i.test(dirTok.text) ? dirTok.text.toUpperCase() : null;
      return { where: jql.slice(0, toks[i].start).trim(), field, dir };
    }
  }
  return { where: jql.trim(), field: null, dir: null };
}

/** Rewrites ORDER BY to sort by `field` (toggling the direction when it already does). */
export function sortBy(jql, field, defaultDir = 'ASC') {
  const { where, field: cur, dir } = splitOrderBy(jql);
  let next = defaultDir;
  if (cur && cur.toLowerCase() === field.toLowerCase()) next = (dir || 'ASC') === 'ASC' ? 'DESC' : 'ASC';
  return `${where ? `${where} ` : ''}ORDER BY ${field} ${next}`;
}

/** The 0-based offset of the server's "(line L, character C)", or null. */
export function errorOffset(message, src) {
  const m = /\(line (\d+), character (\d+)\)/.exec(message || '');
  if (!m) return null;
  const lines = src.split('\n');
  const line = Math.min(Number(m[1]), lines.length) - 1;
  let off = 0;
  for (let i = 0; i < line; i++) off += lines[i].length + 1;
  return Math.min(off + Number(m[2]) - 1, src.length);
}

let metaPromise = null;
function autocompleteData() {
  if (!metaPromise) {
    metaPromise = api.get('/jql/autocompletedata').catch((e) => {
      metaPromise = null;
      throw e;
    });
  }
  return metaPromise;
}

const quote = (v) => (/^[A-Za-z0-9_.\-@]+$/.test(v) || /\)$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`);
const plain = (s) => s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The editor. `onSubmit(jql)` runs on Enter (when no suggestion is chosen). */
export function jqlEditor({ value = '', onSubmit }) {
  const hl = h('pre.jql-hl', { 'aria-hidden': 'true' });
  const input = h('textarea.jql-input#jql', {
    rows: 1, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
    'aria-label': 'JQL query', 'aria-autocomplete': 'list', 'aria-controls': 'jql-suggest',
  });
  input.value = value;
  const list = h('ul.jql-suggest#jql-suggest', { role: 'listbox', hidden: true });
  const error = h('div.jql-error', { role: 'alert', hidden: true });
  const el = h('div.jql', h('div.jql-box', hl, input), list, error);
  let errAt = null;
  let items = [];
  let active = -1;
  let replaceFrom = 0;
  let seq = 0;
  const cache = new Map();

  function render() {
    const src = input.value;
    const spans = tokenize(src).map((t) => {
      const bad = errAt != null && errAt >= t.start && errAt < t.end;
      return h(`span.t-${t.type}${bad ? '.t-error' : ''}`, t.text);
    });
    if (errAt != null && errAt >= src.length) spans.push(h('span.t-error.t-eol', ' '));
    mount(hl, spans, '\n');
  }

  function close() {
    list.hidden = true;
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  }

  function show(found) {
    items = found.slice(0, 12);
    active = -1;
    if (!items.length) return close();
    mount(list, items.map((it, i) => h('li', {
      role: 'option', id: `jql-opt-${i}`, class: `kind-${it.kind}`,
      onmousedown: (e) => { e.preventDefault(); accept(i); },
    }, h('span.label', it.label), h('span.kind', it.kind))));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function highlight(i) {
    active = (i + items.length) % items.length;
    [...list.children].forEach((li, j) => li.classList.toggle('active', j === active));
    input.setAttribute('aria-activedescendant', `jql-opt-${active}`);
    list.children[active].scrollIntoView({ block: 'nearest' });
  }

  function accept(i) {
    const it = items[i];
    if (!it) return;
    const src = input.value;
    const cur = input.selectionStart;
    const rest = src.slice(cur).replace(/^[^\s()=,!~<>]*/, '');
    const insert = `${it.insert} `;
    input.value = src.slice(0, replaceFrom) + insert + rest.replace(/^\s+/, '');
    const pos = replaceFrom + insert.length;
    input.setSelectionRange(pos, pos);
    close();
    onEdit();
    input.focus();
    suggest();
  }

  async function suggest() {
    const my = ++seq;
    const cursor = input.selectionStart;
    const before = input.value.slice(0, cursor);
    const toks = tokenize(before);
    let last = toks[toks.length - 1];
    let prefix = '';
    replaceFrom = cursor;
    if (last && last.type !== 'ws' && last.end === cursor && !['op', 'paren', 'comma'].includes(last.type)) {
      prefix = last.text.replace(/^["']/, '');
      replaceFrom = last.start;
      toks.pop();
    }
    const sig = toks.filter((t) => t.type !== 'ws');
    const prev = sig[sig.length - 1];
    const prev2 = sig[sig.length - 2];
    const lw = (t) => (t ? t.text.toLowerCase() : '');
    const p = prefix.toLowerCase();
    const starts = (s) => s.toLowerCase().startsWith(p);
    let meta;
    try {
      meta = await autocompleteData();
    } catch {
      return close();
    }
    if (my !== seq) return;
    const fields = meta.visibleFieldNames || [];
    const fns = meta.visibleFunctionNames || [];
    const orderBy = sig.some((t, i) => lw(t) === 'order' && lw(sig[i + 1]) === 'by');
    const fieldItems = (filter) => fields.filter(filter).filter((f) => starts(f.value) || starts(f.displayName))
      .map((f) => ({ kind: 'field', label: f.displayName, insert: quote(f.value) }));
    const words = (ws) => ws.filter(starts).map((w) => ({ kind: 'keyword', label: w, insert: w }));
    let found = [];
    if (orderBy) {
      if (lw(prev) === 'by' || (prev && prev.type === 'comma')) found = fieldItems((f) => f.orderable === 'true');
      else if (prev && prev.type === 'field') found = words(['ASC', 'DESC']);
    } else if (!prev || ['and', 'or', 'not'].includes(lw(prev)) || (prev.type === 'paren' && prev.text === '(' && lw(prev2) !== 'in')) {
      found = fieldItems((f) => f.searchable !== 'false');
    } else if (prev.type === 'field' || (prev.type === 'value' && (!prev2 || ['and', 'or', 'not', '('].includes(lw(prev2))))) {
      const name = prev.text.replace(/^"|"$/g, '').toLowerCase();
      const f = fields.find((x) => x.value.toLowerCase() === name || x.displayName.toLowerCase() === name);
      const ops = (f && f.operators) || ['=', '!=', '~', 'in', 'not in', 'is', 'is not'];
      found = ops.filter(starts).map((o) => ({ kind: 'operator', label: o, insert: o }));
    } else if (lw(prev) === 'is' || (lw(prev) === 'not' && lw(prev2) === 'is')) {
      found = words(['EMPTY', 'NULL']);
      if (lw(prev) === 'is') found.unshift(...words(['not']));
    } else if (prev.type === 'op' || ['in', 'was'].includes(lw(prev)) || (prev.type === 'paren' && prev.text === '(' && lw(prev2) === 'in') || (prev.type === 'comma')) {
      const fieldTok = [...sig].reverse().find((t) => t.type === 'field');
      const fieldName = fieldTok ? fieldTok.text.replace(/^"|"$/g, '') : '';
      const key = `${fieldName}\u0000${prefix}`;
      let values = cache.get(key);
      if (!values && fieldName) {
        try {
          const r = await api.get(`/jql/autocompletedata/suggestions?fieldName=${enc(fieldName)}&fieldValue=${enc(prefix)}`);
          values = (r.results || []).map((v) => ({ kind: 'value', label: plain(v.displayName), insert: quote(v.value) }));
        } catch {
          values = [];
        }
        cache.set(key, values);
        if (my !== seq) return;
      }
      const functions = fns.filter((f) => p && starts(f.value)).map((f) => ({ kind: 'function', label: f.displayName, insert: f.value }));
      found = [...(values || []), ...functions];
    } else if (prev.type === 'value' || prev.type === 'string' || (prev.type === 'paren' && prev.text === ')') || ['empty', 'null'].includes(lw(prev))) {
      found = words(['AND', 'OR', 'ORDER BY']);
    }
    if (found.length === 1 && found[0].insert.toLowerCase() === prefix.toLowerCase()) found = [];
    show(found);
  }

  function onEdit() {
    errAt = null;
    error.hidden = true;
    el.classList.remove('has-error');
    render();
  }

  input.addEventListener('input', () => {
    onEdit();
    suggest();
  });
  input.addEventListener('click', suggest);
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('scroll', () => { hl.scrollTop = input.scrollTop; });
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden && items.length;
    if (open && e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
    else if (open && e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
    else if (open && e.key === 'Tab') { e.preventDefault(); accept(active < 0 ? 0 : active); }
    else if (open && e.key === 'Enter' && active >= 0) { e.preventDefault(); accept(active); }
    else if (open && e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); }
    else if (e.key === ' ' && e.ctrlKey) { e.preventDefault(); suggest(); }
    else if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); close(); onSubmit(input.value); }
    else if (e.key === 'Escape') { input.blur(); }
  });
  render();

  return {
    el,
    input,
    get value() { return input.value; },
    set value(v) { input.value = v; onEdit(); },
    focus() { input.focus(); input.setSelectionRange(input.value.length, input.value.length); },
    showError(message) {
      errAt = errorOffset(message, input.value);
      mount(error, message);
      error.hidden = false;
      el.classList.add('has-error');
      render();
    },
    clearError: onEdit,
  };
}

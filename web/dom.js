// Element building without HTML strings: every piece of user text becomes a text node.
// The one exception, server-sanitised `renderedFields` HTML, goes through `trustedHtml`.

/**
 * h('button#save.primary', {onclick, type: 'button'}, 'Save', child, [more children])
 * Attributes starting with `on` become listeners; `class` and `.cls` shorthand add
 * classes; `dataset` sets data-*; booleans toggle the attribute; null/undefined skip.
 */
export function h(spec, attrs, ...children) {
  const el = document.createElement(/^[a-z0-9]*/.exec(spec)[0] || 'div');
  for (const [, sigil, name] of spec.matchAll(/([.#])([\w-]+)/g)) {
    if (sigil === '#') el.id = name;
    else el.classList.add(name);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.classList.add(...String(v).split(/\s+/).filter(Boolean));
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** HTML the server rendered and sanitised (`renderedFields`, `renderedBody`) only. */
export function trustedHtml(cls, html) {
  const div = h(`div.${cls}`);
  div.innerHTML = html || '';
  for (const a of div.querySelectorAll('a[href]')) a.setAttribute('rel', 'noopener noreferrer');
  return div;
}

export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

export function spinner(text = 'Loading…') {
  return h('div.loading', { role: 'status' }, h('span.spin', { 'aria-hidden': 'true' }), text);
}

export function errorBox(err) {
  const messages = err && err.messages ? err.messages : [String(err && err.message ? err.message : err)];
  return h('div.error', { role: 'alert' }, messages.map((m) => h('p', m)));
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(d.getTime())) return iso;
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A status lozenge coloured by its category (new, indeterminate, done). */
export function lozenge(status) {
  if (!status) return '';
  const cat = (status.statusCategory && status.statusCategory.key) || 'new';
  return h(`span.lozenge.cat-${cat}`, status.name);
}

// The portal's small pieces shared by its pages: the page head with breadcrumbs, the
// minimal navigation a customer gets, and the customer-facing status lozenge.
import { h, link } from '../../dom.js';

export function portalHead(title, subtitle, crumbs = []) {
  return h('div.portal-head',
    crumbs.length ? h('nav.crumbs', { 'aria-label': 'Breadcrumbs' }, crumbs.map((c, i) => [i ? ' / ' : '', c])) : null,
    h('h1', title),
    subtitle && h('p.muted', subtitle));
}

/** The navigation for a customer: the help center and their requests, nothing of Jira. */
export function portalNav() {
  return h('nav.nav.portal-nav', link('/portal', 'Help center'), link('/portal/requests', 'My requests'));
}

const CAT = { NEW: 'new', INDETERMINATE: 'indeterminate', DONE: 'done' };

/** JSM's `currentStatus` ({status, statusCategory: NEW|INDETERMINATE|DONE}) as a lozenge. */
export function requestStatus(s) {
  if (!s) return '';
  return h(`span.lozenge.cat-${CAT[s.statusCategory] || 'new'}.request-status`, s.status || s.statusCategory);
}

/** The value of a request field by id. */
export function fieldValue(r, id) {
  const f = (r.requestFieldValues || []).find((v) => v.fieldId === id);
  return f ? f.value : undefined;
}

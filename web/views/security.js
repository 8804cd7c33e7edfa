// The issue security level on the issue view: a lock badge with the level's name, and
// for people allowed to set it (SET_ISSUE_SECURITY) a select of the project's levels.
import { api, enc } from '../api.js';
import { h } from '../dom.js';

/** The project's levels and whether the caller may set one; nothing when it has no scheme. */
export async function loadSecurity(projectKey) {
  const [levels, perms] = await Promise.all([
    api.get(`/project/${enc(projectKey)}/securitylevel`).then((r) => r.levels || []).catch(() => []),
    api.get(`/mypermissions?projectKey=${enc(projectKey)}&permissions=SET_ISSUE_SECURITY`).catch(() => null),
  ]);
  const p = perms && perms.permissions && perms.permissions.SET_ISSUE_SECURITY;
  return { levels, canSet: !!(p && p.havePermission) };
}

export function securityBadge(level) {
  if (!level) return null;
  return h('span.security-badge#security-badge', { title: `Security level: only people in “${level.name}” see this issue` },
    h('span.lock', { 'aria-hidden': 'true' }), level.name);
}

/** The side-panel field; `save(label, body)` writes the issue and reloads the view. */
export function securityField(level, { levels, canSet }, save) {
  const shown = level ? h('div.security-name', h('span.lock', { 'aria-hidden': 'true' }), level.name) : h('div.muted', 'None');
  if (!canSet || !levels.length) return level ? h('div.field#security', h('h3', 'Security level'), shown) : null;
  const select = h('select#security-select', {
    'aria-label': 'Security level',
    onchange: (e) => save('security level', { fields: { security: e.target.value ? { id: e.target.value } : null } }).catch(() => {}),
  }, h('option', { value: '' }, 'None (everyone who can browse)'),
  levels.map((l) => h('option', { value: l.id, selected: level && String(level.id) === String(l.id) }, l.name)));
  return h('div.field#security', h('h3', 'Security level'), shown, select);
}

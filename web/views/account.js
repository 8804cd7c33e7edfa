// The account page: who you are, change your password, personal access tokens
// (`/rest/pat/latest/tokens`: list, create — the secret shown once with a copy button —
// and revoke).
import { api } from '../api.js';
import { h, mount, spinner, errorBox, formatDate } from '../dom.js';

async function copy(text, input) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API (or no permission): copy the selected field the old way.
    input.focus();
    input.select();
    if (!document.execCommand('copy')) throw new Error('copy refused');
  }
}

export async function accountView(el, _params, { state }) {
  const me = state.me;

  // Password.
  const current = h('input#current-password', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input#new-password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const again = h('input#new-password-again', { type: 'password', autocomplete: 'new-password', required: true });
  const pwStatus = h('div.status');
  const pwForm = h('form.card.password-form', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (next.value !== again.value) {
        mount(pwStatus, errorBox({ messages: ['The two new passwords differ.'] }));
        again.focus();
        return;
      }
      mount(pwStatus, spinner('Changing the password…'));
      try {
        await api.put('/myself/password', { password: next.value, currentPassword: current.value });
        // A new password ends every session, this one too: sign in again with it.
        await api.login(me.name, next.value);
        pwForm.reset();
        mount(pwStatus, h('div.ok', 'Password changed.'));
      } catch (err) {
        const messages = err.fields && err.fields.currentPassword ? [err.fields.currentPassword] : err.messages;
        mount(pwStatus, errorBox({ messages }));
      }
    },
  },
  h('h2', 'Change password'),
  h('label', 'Current password', current),
  h('label', 'New password (8 characters or more)', next),
  h('label', 'New password again', again),
  h('div.actions', h('button.primary', { type: 'submit' }, 'Change password')),
  pwStatus);

  // Tokens.
  const list = h('div.token-list', spinner('Loading tokens…'));
  const created = h('div.token-created');
  const name = h('input#token-name', { required: true, placeholder: 'laptop, CI…', maxlength: 255 });
  const days = h('select#token-expiry', { 'aria-label': 'Expires' },
    h('option', { value: '30' }, 'in 30 days'), h('option', { value: '90', selected: true }, 'in 90 days'),
    h('option', { value: '365' }, 'in a year'), h('option', { value: '' }, 'never'));
  // Scopes limit a token on every API surface (Jira, v1, Yandex); none ticked: the
  // user's full access. The list and its descriptions come from the server.
  const scopeBoxes = [];
  const scopeList = h('div.scope-list', spinner('Loading scopes…'));
  const scopes = h('fieldset.scopes',
    h('legend', 'Limit to scopes (none ticked: full access on every API)'),
    scopeList,
    h('p.muted.scope-note', 'A write scope does not grant reads; a token with scopes cannot manage tokens or the password.'));
  api.scopes().then((known) => {
    mount(scopeList, known.map((scope) => {
      const box = h('input', { type: 'checkbox', value: scope.name, id: `scope-${scope.name.replace(/:/g, '-')}` });
      scopeBoxes.push(box);
      return h('label.check', box, ' ', h('code', scope.name), h('span.muted', ` ${scope.description}`));
    }));
  }).catch((err) => mount(scopeList, errorBox(err)));
  const tokStatus = h('div.status');

  async function load() {
    try {
      const tokens = await api.tokens();
      if (!tokens.length) {
        mount(list, h('div.empty', h('p', 'No API tokens yet.'), h('p.muted', 'Create one to use the REST API from scripts: Basic email:token or Bearer.')));
        return;
      }
      mount(list, h('table.grid.tokens',
        h('thead', h('tr', h('th', 'Name'), h('th', 'Created'), h('th', 'Expires'), h('th', 'Last used'), h('th', ''))),
        h('tbody', tokens.map((t) => h('tr', { dataset: { id: t.id } },
          h('td', t.name, t.scopes && t.scopes.length ? h('span.muted', ` (${t.scopes.join(', ')})`) : ''),
          h('td', formatDate(t.createdAt)),
          h('td', t.expiringAt ? formatDate(t.expiringAt) : h('span.muted', 'Never')),
          h('td', t.lastAccessedAt ? formatDate(t.lastAccessedAt) : h('span.muted', 'Never')),
          h('td.links', h('button.ghost.danger.revoke', {
            type: 'button',
            onclick: async (e) => {
              if (!confirm(`Revoke the token “${t.name}”? Scripts using it stop working at once.`)) return;
              e.target.disabled = true;
              mount(tokStatus, spinner('Revoking…'));
              try {
                await api.revokeToken(t.id);
                mount(tokStatus, h('div.ok', `Token “${t.name}” revoked.`));
                mount(created);
                await load();
              } catch (err) {
                e.target.disabled = false;
                mount(tokStatus, errorBox(err));
              }
            },
          }, 'Revoke')))))));
    } catch (err) {
      mount(list, errorBox(err));
    }
  }

  const tokForm = h('form.token-form', {
    onsubmit: async (e) => {
      e.preventDefault();
      mount(tokStatus, spinner('Creating…'));
      try {
        const body = { name: name.value.trim() };
        if (days.value) body.expirationDuration = Number(days.value);
        const chosen = scopeBoxes.filter((box) => box.checked).map((box) => box.value);
        if (chosen.length) body.scopes = chosen;
        const t = await api.createToken(body);
        const field = h('input.mono#token-secret', { readonly: true, value: t.rawToken, 'aria-label': 'New token' });
        const done = h('span.muted.copied', { 'aria-live': 'polite' });
        mount(created, h('div.card.new-token',
          h('p', h('strong', `Token “${t.name}” created.`), ' Copy it now: it is shown only once.'),
          h('div.row.copy-row', field, h('button.primary#copy-token', {
            type: 'button',
            onclick: async () => {
              try { await copy(t.rawToken, field); done.textContent = 'Copied.'; } catch { done.textContent = 'Select the token and copy it.'; }
            },
          }, 'Copy'), done)));
        field.addEventListener('focus', () => field.select());
        tokForm.reset();
        mount(tokStatus);
        await load();
      } catch (err) {
        mount(tokStatus, errorBox(err));
      }
    },
  }, h('div.row', h('label.grow', 'Token name', name), h('label', 'Expires', days)),
  scopes,
  h('div.actions', h('button.primary', { type: 'submit' }, 'Create token')));

  mount(el,
    h('div.page-head', h('h1', 'Account'), h('span.count', `${me.displayName} · ${me.name}${me.emailAddress ? ` · ${me.emailAddress}` : ''}`)),
    h('div.split',
      h('section.card.tokens-card', h('h2', 'API tokens'), created, list, tokStatus, tokForm),
      pwForm));
  await load();
  return {};
}

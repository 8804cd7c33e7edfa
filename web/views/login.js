import { api } from '../api.js';
import { h, mount, errorBox } from '../dom.js';

/** The sign-in form; calls `done()` once the session cookie is set. */
export function loginView(root, done) {
  const user = h('input#login-username', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input#login-password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div.status');
  const button = h('button.primary', { type: 'submit' }, 'Sign in');
  const form = h(
    'form.login',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        mount(status, 'Signing in…');
        try {
          await api.login(user.value.trim(), pass.value);
          await done();
        } catch (err) {
          const msg = err.status === 401
            ? { messages: ['Sign-in failed: the username or password is not right.'] }
            : err;
          mount(status, errorBox(msg));
          button.disabled = false;
          pass.select();
        }
      },
    },
    h('h1', 'Sign in to Tessera'),
    h('label', 'Username or email', user),
    h('label', 'Password', pass),
    button,
    status,
  );
  mount(root, h('div.login-page', form));
  user.focus();
}

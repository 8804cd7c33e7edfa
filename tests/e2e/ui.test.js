// End-to-end tests of the embedded web UI in a real browser: Debian's chromium driven by
// playwright-core, against the tessera binary on a free port with a fresh data directory.
// Screenshots of the main screens go to tests/artifacts/ (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(repo, process.env.TESSERA_BIN || 'target/debug/tessera');
const artifacts = join(repo, 'tests/artifacts');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'e2e-admin-password';

let server, base, browser, context, page, dataDir, profileDir;
const problems = [];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function until(what, fn, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const text = (sel) => page.locator(sel).first().innerText();

/** A REST call with the page's cookie session, as the UI makes it. */
function rest(method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const r = await fetch(p, {
      method: m,
      headers: { 'Content-Type': 'application/json', 'X-Atlassian-Token': 'no-check' },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    return { status: r.status, body: await r.text() };
  }, [method, path, body]);
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-data-'));
  profileDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-chromium-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_LOG: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await until('the server', async () => (await fetch(`${base}/rest/api/2/serverInfo`)).ok, 30000);
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  browser = context.browser();
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Expected 4xx answers (bad JQL, wrong password) are logged by chromium as resource
    // errors; anything else — a CSP violation, an exception — is a failure.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true });
  void browser;
});

test('the binary serves the page, its modules and client-side routes', async () => {
  for (const path of ['/', '/issues', '/projects', '/browse/ABC-1', '/board/ABC']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
  }
  const js = await fetch(`${base}/static/app.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.equal(js.headers.get('cache-control'), 'no-cache');
  const etag = js.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${base}/static/app.js`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.match((await fetch(`${base}/static/app.css`)).headers.get('content-type'), /^text\/css/);
  assert.equal((await fetch(`${base}/static/nope.js`)).status, 404);
  assert.equal((await fetch(`${base}/static/../Cargo.toml`)).status, 404);
});

test('a person works through the tracker in the browser', async (t) => {
  await t.test('sign in, with a wrong password first', async () => {
    await page.goto(`${base}/`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'wrong');
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('form.login .error');
    assert.match(await text('form.login .error'), /username or password is not right/);
    await shot('01-login-error');
    await page.fill('#login-password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('header.top .me');
    assert.equal(await text('header.top .me'), 'Administrator');
  });

  await t.test('create a project, with the key validated', async () => {
    await page.click('nav.nav a[href="/projects"]');
    await page.waitForSelector('.projects .empty');
    await page.fill('#project-name', 'Web UI');
    assert.equal(await page.inputValue('#project-key'), 'WEBUI');
    await page.fill('#project-key', '9X');
    assert.match(await text('#project-key-hint'), /starts with an uppercase letter/);
    await page.click('form.create-project button[type=submit]');
    await page.waitForSelector('form.create-project .error');
    await shot('02-project-key-invalid');
    await page.fill('#project-key', 'WEB');
    await page.click('form.create-project button[type=submit]');
    await page.waitForURL(`${base}/board/WEB`);
    await page.waitForSelector('.board .column');
    // The server's own refusal is shown too: the key is taken now.
    await page.goto(`${base}/projects`);
    await page.fill('#project-name', 'Again');
    await page.fill('#project-key', 'WEB');
    await page.click('form.create-project button[type=submit]');
    await page.waitForSelector('form.create-project .error');
    assert.ok((await text('form.create-project .error')).length > 0);
    await shot('03-projects');
  });

  await t.test('create an issue with the keyboard', async () => {
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press('c');
    await page.waitForSelector('#create-summary');
    await page.waitForSelector('#create-type option:has-text("Task")', { state: 'attached' });
    await page.selectOption('#create-project', 'WEB');
    await page.waitForSelector('#create-type option:has-text("Task")', { state: 'attached' });
    await page.keyboard.type('Board drag and drop');
    await page.fill('#create-description', 'h2. Steps\n* open the *board*\n* drag');
    await shot('04-create-dialog');
    await page.focus('#create-summary');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/browse/WEB-1`);
    await page.waitForSelector('#summary');
    assert.equal(await text('#summary'), 'Board drag and drop');
    assert.equal(await text('.description .markup strong'), 'board');
  });

  await t.test('edit the summary and fields inline, comment, read the history', async () => {
    await page.click('#summary');
    await page.fill('#summary-input', 'Drag cards between columns');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#summary:has-text("Drag cards between columns")');
    await page.click('#assign-me');
    await page.waitForSelector('#assignee:has-text("Administrator")');
    await page.selectOption('#priority', { label: 'High' });
    await page.waitForSelector('#priority option[selected]:has-text("High")', { state: 'attached' });
    await page.fill('#label-input', 'ui');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chip:has-text("ui")');
    await page.fill('#comment-input', 'Looks *good* to me');
    await page.click('.comment-form button[type=submit]');
    await page.waitForSelector('.comment .markup strong:has-text("good")');
    await shot('05-issue');
    await page.click('#tab-history');
    await page.waitForSelector('ol.history .hfield:has-text("summary")');
    assert.match(await text('ol.history'), /Board drag and drop/);
    await shot('06-issue-history');
  });

  await t.test('transition on the board by drag and drop', async () => {
    await page.goto(`${base}/board/WEB`);
    const card = page.locator('.issue-card[data-key="WEB-1"]');
    await card.waitFor();
    const todo = await page.locator('.column', { has: page.locator('h2', { hasText: /^To Do$/ }) }).getAttribute('data-status');
    assert.equal(await card.evaluate((c) => c.closest('.column').dataset.status), todo);
    const target = page.locator('.column', { has: page.locator('h2', { hasText: /^In Progress$/ }) });
    await card.dragTo(target.locator('.col-cards'));
    await page.waitForSelector('.flash .ok');
    assert.match(await text('.flash'), /WEB-1 moved to In Progress/);
    assert.equal(await target.locator('.issue-card[data-key="WEB-1"]').count(), 1);
    const issue = JSON.parse((await rest('GET', '/rest/api/2/issue/WEB-1?fields=status')).body);
    assert.equal(issue.fields.status.name, 'In Progress');
    await shot('07-board');
  });

  await t.test('search with JQL: autocomplete, results, sorting, an error, the keyboard', async () => {
    await rest('POST', '/rest/api/2/issue', { fields: { project: { key: 'WEB' }, issuetype: { name: 'Bug' }, summary: 'Second issue' } });
    await page.goto(`${base}/issues`);
    await page.waitForSelector('#jql');
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'jql');
    await page.fill('#jql', '');
    await page.keyboard.type('sta');
    await page.waitForSelector('#jql-suggest li:has-text("status")');
    await page.keyboard.press('Tab');
    assert.equal(await page.inputValue('#jql'), 'status ');
    await page.waitForSelector('#jql-suggest li.kind-operator');
    await page.keyboard.type('= ');
    await page.waitForSelector('#jql-suggest li.kind-value:has-text("In Progress")');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#jql'), 'status = "In Progress" ');
    assert.equal(await page.locator('.jql-hl .t-field').first().innerText(), 'status');
    assert.equal(await page.locator('.jql-hl .t-string').first().innerText(), '"In Progress"');
    // The index is fed asynchronously from the outbox: retry until it caught up.
    await page.fill('#jql', 'project = WEB ORDER BY key DESC');
    await until('both issues in the results', async () => {
      await page.click('.searchbar button.primary');
      await page.waitForTimeout(200);
      return (await page.locator('table.issues tbody tr').count()) === 2;
    });
    assert.equal(await text('.page-head .count'), '2 issues');
    assert.equal(await page.locator('table.issues tbody tr').first().getAttribute('data-key'), 'WEB-2');
    await shot('08-navigator');
    await page.click('th.col-key button.sort');
    await until('ascending sort', async () => (await page.locator('table.issues tbody tr').first().getAttribute('data-key')) === 'WEB-1');
    assert.equal(await page.inputValue('#jql'), 'project = WEB ORDER BY key ASC');
    assert.match(page.url(), /ORDER%20BY%20key%20ASC|ORDER\+BY\+key\+ASC/);
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(await page.locator('tr.selected').getAttribute('data-key'), 'WEB-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/browse/WEB-1`);
    await page.goBack();
    await page.waitForSelector('#jql');
    await page.fill('#jql', 'project = "WEB');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.jql-error:not([hidden])');
    assert.match(await text('.jql-error'), /\(line 1, character 11\)/);
    assert.equal(await text('.jql-hl .t-error'), '"WEB');
    await shot('09-navigator-error');
    await page.fill('#jql', 'nosuchfield = 1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.jql-error:has-text("nosuchfield")');
  });

  await t.test('the shortcuts help and the narrow and dark layouts', async () => {
    await page.goto(`${base}/issues?jql=${encodeURIComponent('project = WEB ORDER BY key ASC')}`);
    await page.waitForSelector('table.issues');
    await page.locator('h1').click();
    await page.keyboard.press('?');
    await page.waitForSelector('.overlay.help dl.keys');
    await shot('10-shortcuts');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.overlay').count(), 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('11-navigator-dark');
    await page.goto(`${base}/browse/WEB-1`);
    await page.waitForSelector('.comment');
    await shot('12-issue-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/issues?jql=${encodeURIComponent('project = WEB ORDER BY key ASC')}`);
    await page.waitForSelector('table.issues');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the phone layout scrolls sideways by ${overflow}px`);
    await shot('13-navigator-phone');
    await page.goto(`${base}/browse/WEB-1`);
    await page.waitForSelector('.comment');
    await shot('14-issue-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await t.test('sign out', async () => {
    await page.click('#signout');
    await page.waitForSelector('form.login');
    assert.equal((await rest('GET', '/rest/api/2/myself')).status, 401);
  });

  assert.deepEqual(problems, [], 'no script errors or CSP violations');
});

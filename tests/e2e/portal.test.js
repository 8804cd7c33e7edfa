// End-to-end tests of the service desk in the browser: a customer raises and follows a
// request in the portal, an agent works it from a queue with SLA timers and internal
// notes. Each person has their own browser context (their own cookie session).
// Screenshots go to tests/artifacts/portal-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, until } from './harness.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(repo, process.env.TESSERA_BIN || 'target/debug/tessera');
const artifacts = join(repo, 'tests/artifacts');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'e2e-admin-password';

let server, base, browser, dataDir;
const problems = [];



/** A REST call as the administrator, with basic auth. */
async function admin(method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Atlassian-Token': 'no-check',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A browser context of its own (its own session) with a page that records problems. */
async function person() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `portal-${name}.png`), fullPage: true });

async function signIn(page, user, password) {
  await page.goto(`${base}/`);
  await page.fill('#login-username', user);
  await page.fill('#login-password', password);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('header.top .me');
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-portal-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_LOG: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await until('the server', async () => (await fetch(`${base}/rest/api/2/serverInfo`)).ok, 30000);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the portal and desk routes serve the page', async () => {
  for (const path of ['/portal', '/portal/1', '/portal/1/create/2', '/portal/requests', '/portal/request/HELP-1', '/desk/1', '/desk/1/queues/2', '/desk/1/settings', '/desk/1/request/HELP-1']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /^text\/html/);
  }
  assert.match((await fetch(`${base}/static/portal.css`)).headers.get('content-type'), /^text\/css/);
});

test('a customer raises a request in the portal and an agent works it', async (t) => {
  // The desk, an agent and a customer, set up over REST by the administrator.
  await admin('POST', '/rest/api/2/project', { key: 'HELP', name: 'Help Desk', projectTypeKey: 'service_desk' });
  const desks = await admin('GET', '/rest/servicedeskapi/servicedesk?limit=100');
  const desk = desks.values.find((d) => d.projectKey === 'HELP');
  assert.ok(desk, JSON.stringify(desks));
  await admin('POST', '/rest/api/2/user', { name: 'agnes', emailAddress: 'agnes@example.com', displayName: 'Agnes Agent', password: 'agent-password' });
  const roles = await admin('GET', '/rest/api/2/role');
  const team = roles.find((r) => r.name === 'Service Desk Team');
  await admin('POST', `/rest/api/2/project/HELP/role/${team.id}`, { user: ['agnes'] });
  // The customer account: made by the desk's customer call needs no password, so this
  // one is made with one (as the API tests do) and then added as the desk's customer.
  await admin('POST', '/rest/api/2/user', { name: 'carla', emailAddress: 'carla@example.com', displayName: 'Carla Customer', password: 'customer-password' });
  await admin('POST', `/rest/servicedeskapi/servicedesk/${desk.id}/customer`, { usernames: ['carla'] });

  const customer = await person();
  const agent = await person();
  let key;

  await t.test('the customer lands on the portal with minimal navigation', async () => {
    await signIn(customer, 'carla', 'customer-password');
    await customer.waitForSelector('.portal-card.request-type');
    assert.match(customer.url(), /\/portal$/);
    const nav = await customer.locator('header.top nav').innerText();
    assert.match(nav, /My requests/);
    assert.doesNotMatch(nav, /Issues|Projects/);
    assert.equal(await customer.locator('header.top button.primary').count(), 0, 'no Create button');
    const cards = await customer.locator('.portal-card.request-type').allInnerTexts();
    assert.ok(cards.some((c) => /Get IT help/.test(c)), cards.join('|'));
    await shot(customer, '01-desk');
  });

  await t.test('the form marks required fields and refuses an empty summary', async () => {
    await customer.click('.portal-card.request-type a:has-text("Get IT help")');
    await customer.waitForSelector('form.portal-form');
    assert.match(await customer.locator('[data-field=summary] label').innerText(), /\*/);
    await customer.click('#raise-request');
    await customer.waitForSelector('[data-field=summary] .field-error:not(:empty)');
    await shot(customer, '02-form-error');
  });

  await t.test('the customer raises the request and comments on it', async () => {
    await customer.fill('#rf-summary', 'The printer eats my pages');
    await customer.fill('#rf-description', 'Every *second* page comes out crumpled.');
    const prio = customer.locator('#rf-priority');
    if (await prio.count()) await prio.selectOption({ index: 2 });
    await customer.click('#raise-request');
    await customer.waitForSelector('.portal-request');
    key = (await customer.locator('.request-key').innerText()).trim();
    assert.match(key, /^HELP-\d+$/);
    assert.match(await customer.locator('.request-description').innerText(), /second/);
    assert.equal(await customer.locator('.comment-kind').count(), 0, 'customers write public comments only');
    await customer.fill('#portal-comment', 'It started on Monday.');
    await customer.click('#portal-comment-save');
    await customer.waitForSelector('ol.conversation .comment:has-text("It started on Monday.")');
    await customer.setInputFiles('#portal-attach', { name: 'jam.txt', mimeType: 'text/plain', buffer: Buffer.from('paper jam log') });
    await customer.click('#portal-attach-save');
    await customer.waitForSelector('.portal-attachments a:has-text("jam.txt")');
    await shot(customer, '03-request');
  });

  await t.test('the request is in My requests with its status', async () => {
    await customer.click('header.top nav a[href="/portal/requests"]');
    await customer.waitForSelector(`.requests-table tr[data-key="${key}"]`);
    const row = await customer.locator(`.requests-table tr[data-key="${key}"]`).innerText();
    assert.match(row, /The printer eats my pages/);
    assert.match(row, /Waiting for support|Open|To Do/i);
    await shot(customer, '04-my-requests');
  });

  await t.test('the agent finds it in a queue with an SLA timer', async () => {
    await signIn(agent, 'agnes', 'agent-password');
    assert.doesNotMatch(agent.url(), /\/portal/, 'agents land on the issue navigator');
    await agent.click('header.top nav a[href="/desk"]');
    await agent.waitForURL(/\/desk\/\d+\/queues\/\d+$/);
    await agent.waitForSelector(`.queue-issues tr[data-key="${key}"] .sla`);
    const row = await agent.locator(`.queue-issues tr[data-key="${key}"]`).innerText();
    assert.match(row, /Time to first response/);
    assert.match(row, /\d+h( \d+m)? left/);
    await shot(agent, '05-queue');
  });

  await t.test('the agent adds an internal note and a reply, then resolves', async () => {
    await agent.click(`.queue-issues tr[data-key="${key}"] td.mono a`);
    await agent.waitForSelector('.comment-kind');
    await agent.check('#comment-internal');
    await agent.fill('#portal-comment', 'zanzibar: the fuser is worn, order one');
    await agent.click('#portal-comment-save');
    await agent.waitForSelector('ol.conversation .comment.internal:has-text("zanzibar")');
    await agent.check('#comment-public');
    await agent.fill('#portal-comment', 'We are replacing a part of the printer.');
    await agent.click('#portal-comment-save');
    await agent.waitForSelector('ol.conversation .comment:not(.internal):has-text("replacing a part")');
    assert.match(await agent.locator('.agent-slas').innerText(), /Time to resolution/);
    await shot(agent, '06-agent-request');
    // The Jira issue view marks the internal note too.
    await agent.goto(`${base}/browse/${key}`);
    await agent.waitForSelector('article.comment:has-text("zanzibar") .internal-badge');
    await agent.goBack();
    await agent.waitForSelector('.agent-actions button.transition');
    await agent.click('.agent-actions button.transition:has-text("Done")');
    await agent.waitForSelector('.request-side .lozenge.cat-done');
  });

  await t.test('the customer does not see the internal note and rates the result', async () => {
    await customer.goto(`${base}/portal/request/${key}`);
    await customer.waitForSelector('ol.conversation .comment:has-text("replacing a part")');
    assert.doesNotMatch(await customer.locator('ol.conversation').innerText(), /zanzibar/);
    assert.equal(await customer.locator('.internal-badge').count(), 0);
    await customer.waitForSelector('form.portal-feedback');
    await customer.click('button.star-pick[data-n="4"]');
    await customer.fill('#feedback-comment', 'Quick and friendly');
    await customer.click('#feedback-send');
    await customer.waitForSelector('.portal-feedback.rated');
    assert.equal(await customer.locator('.portal-feedback.rated .star.on').count(), 4);
    await shot(customer, '07-rated');
    const fb = await admin('GET', `/rest/servicedeskapi/request/${key}/feedback`);
    assert.equal(fb.rating, 4);
  });

  await t.test('a breached SLA says so in words', async () => {
    // The binary's clock cannot be moved from here, so the timer is given a breached cycle.
    const texts = await agent.evaluate(async () => {
      const { slaTimer } = await import('/static/views/desk/sla.js');
      const breached = slaTimer({ name: 'Time to first response', ongoingCycle: { breached: true, remainingTime: { millis: -3600000, friendly: '-1h' }, goalDuration: { friendly: '4h' } } });
      const met = slaTimer({ name: 'Time to resolution', completedCycles: [{ breached: false }] });
      return [breached.textContent, breached.className, met.textContent];
    });
    assert.match(texts[0], /^Breached.*1h ago/);
    assert.match(texts[1], /breached/);
    assert.match(texts[2], /Met/);
  });

  await t.test('the agent sees the desk settings and adds an organization', async () => {
    await agent.goto(`${base}/desk/${desk.id}/settings`);
    await agent.waitForSelector('.customer-list li[data-name="carla"]');
    assert.match(await agent.locator('.settings-types').innerText(), /Get IT help/);
    await shot(agent, '08-settings');
    await agent.waitForSelector('.settings-slas td');
    assert.match(await agent.locator('.settings-slas').innerText(), /Time to first response/);
    await agent.fill('#org-new-name', 'Printing Dept');
    await agent.click('#org-create button');
    await agent.waitForSelector('.org-list li:has-text("Printing Dept")');
    await shot(agent, '08-settings');
  });

  await t.test('an approval is asked for in the form and given by the approver', async () => {
    await customer.goto(`${base}/portal/${desk.id}`);
    await customer.click('.portal-card.request-type a:has-text("Request new hardware")');
    await customer.waitForSelector('form.portal-form');
    await customer.fill('#rf-summary', 'A second monitor');
    const approvers = customer.locator('[data-field=customfield_10100] input, [data-field=approvers] input, input[placeholder^="Usernames"]');
    await approvers.first().fill('agnes');
    await customer.click('#raise-request');
    await customer.waitForSelector('.portal-approvals');
    const key2 = (await customer.locator('.request-key').innerText()).trim();
    assert.match(await customer.locator('.portal-approvals').innerText(), /Waiting for approval/);
    assert.equal(await customer.locator('#approve').count(), 0, 'the requester does not approve');
    await agent.goto(`${base}/desk/${desk.id}/request/${key2}`);
    await agent.click('#approve');
    await agent.waitForSelector('.portal-approvals .decision.approved');
    await shot(agent, '09-approved');
    await customer.reload();
    await customer.waitForSelector('.portal-approvals .decision.approved');
  });

  assert.deepEqual(problems, []);
});

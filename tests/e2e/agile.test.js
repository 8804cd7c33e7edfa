// End-to-end tests of the agile board in a real browser (issue 12): sprint planning in the
// backlog (drag and keyboard), ranking, the epics panel, starting a sprint, the active
// sprint's columns with story points, completing a sprint, and a kanban board.
// Same harness as ui.test.js: the tessera binary on a free port with a fresh data dir,
// Debian's chromium through playwright-core, screenshots into tests/artifacts/agile-*.png.
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
const AGILE = '/rest/agile/1.0';

let server, base, context, page, dataDir, profileDir;
const problems = [];



const shot = (name) => page.screenshot({ path: join(artifacts, `agile-${name}.png`), fullPage: true });
const text = (sel) => page.locator(sel).first().innerText();

/** A REST call with the page's cookie session; answers the parsed body (throws on non-2xx). */
async function rest(method, path, body) {
  const r = await page.evaluate(async ([m, p, b]) => {
    const res = await fetch(p, {
      method: m,
      headers: { 'Content-Type': 'application/json', 'X-Atlassian-Token': 'no-check' },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    return { status: res.status, body: await res.text() };
  }, [method, path, body]);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${r.body}`);
  return r.body ? JSON.parse(r.body) : null;
}

const sprintKeys = async (id) => (await rest('GET', `${AGILE}/sprint/${id}/issue?fields=summary`)).issues.map((i) => i.key);
const backlogKeys = async (board) => (await rest('GET', `${AGILE}/board/${board}/backlog?fields=issuetype`)).issues
  .filter((i) => i.fields.issuetype.name !== 'Epic').map((i) => i.key);
const rows = (section) => page.locator(`.bl-section[data-target="${section}"] .bl-row:visible`).evaluateAll((rs) => rs.map((r) => r.dataset.key));

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-agile-'));
  profileDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-agile-chromium-'));
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
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  if (context) await context.close();
  // Wait for the server to stop before removing its data directory (it writes on shutdown).
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGTERM');
    await exited;
  }
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true });
});

test('a team plans, runs and completes a sprint on the agile board', async (t) => {
  let board, sprint1, sprint2;
  const fields = {};

  await t.test('sign in; a project with an epic and estimated stories over REST', async () => {
    await page.goto(`${base}/`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('header.top .me');
    await rest('POST', '/rest/api/2/project', { key: 'AGL', name: 'Agile UI', projectTypeKey: 'software' });
    for (const f of await rest('GET', '/rest/api/2/field')) fields[f.name] = f.id;
    assert.ok(fields['Story Points'] && fields['Epic Name']);
    const create = (f) => rest('POST', '/rest/api/2/issue', { fields: { project: { key: 'AGL' }, ...f } });
    await create({ issuetype: { name: 'Epic' }, summary: 'Checkout epic', [fields['Epic Name']]: 'Checkout' }); // AGL-1
    await create({ issuetype: { name: 'Story' }, summary: 'Pay by card', 'Story Points': 3, 'Epic Link': 'AGL-1' }); // AGL-2
    await create({ issuetype: { name: 'Story' }, summary: 'Ship the parcel', 'Story Points': 5 }); // AGL-3
    await create({ issuetype: { name: 'Story' }, summary: 'Refund a payment', 'Story Points': 2, 'Epic Link': 'AGL-1' }); // AGL-4
    await create({ issuetype: { name: 'Task' }, summary: 'Write the release notes' }); // AGL-5
    board = (await rest('GET', `${AGILE}/board?projectKeyOrId=AGL`)).values[0].id;
  });

  await t.test('the backlog lists the issues with story points; the epic is in the panel', async () => {
    await page.goto(`${base}/board/AGL/backlog`);
    await page.waitForSelector('.bl-backlog .bl-row[data-key="AGL-2"]');
    assert.deepEqual(await rows('backlog'), ['AGL-2', 'AGL-3', 'AGL-4', 'AGL-5']);
    assert.equal(await text('.bl-row[data-key="AGL-3"] .points'), '5');
    assert.equal(await text('.bl-row[data-key="AGL-2"] .epic-tag'), 'Checkout');
    assert.match(await text('.bl-backlog .bl-count'), /4 issues · 10 pts/);
    assert.match(await text('.epics'), /Checkout/);
    assert.equal(await page.getAttribute('.board-tabs a.current', 'href'), '/board/AGL/backlog');
    await shot('01-backlog');
  });

  await t.test('create a sprint; drag one issue in, move two with the keyboard menu', async () => {
    await page.click('button.create-sprint');
    await page.waitForSelector('.bl-section:not(.bl-backlog)');
    sprint1 = Number(await page.getAttribute('.bl-section:not(.bl-backlog)', 'data-target'));
    assert.equal((await rest('GET', `${AGILE}/sprint/${sprint1}`)).name, 'AGL Sprint 1');
    await page.locator('.bl-row[data-key="AGL-2"]').dragTo(page.locator(`.bl-section[data-target="${sprint1}"]`));
    await page.waitForSelector(`.bl-section[data-target="${sprint1}"] .bl-row[data-key="AGL-2"]`);
    assert.deepEqual(await sprintKeys(sprint1), ['AGL-2']);
    // The keyboard way: focus the row's "Move to…" menu and choose the sprint.
    for (const key of ['AGL-3', 'AGL-4']) {
      const menu = page.locator(`.bl-row[data-key="${key}"] select.move-to`);
      await menu.focus();
      await menu.selectOption(String(sprint1));
      await page.waitForSelector(`.bl-section[data-target="${sprint1}"] .bl-row[data-key="${key}"]`);
    }
    assert.deepEqual(await sprintKeys(sprint1), ['AGL-2', 'AGL-3', 'AGL-4']);
    assert.deepEqual(await backlogKeys(board), ['AGL-5']);
  });

  await t.test('rank by keyboard (up button) and by dragging within the sprint', async () => {
    const up = page.locator('.bl-row[data-key="AGL-4"] button.rank-up');
    await up.focus();
    await page.keyboard.press('Enter');
    await until('AGL-4 above AGL-3', async () => (await rows(sprint1)).join() === 'AGL-2,AGL-4,AGL-3');
    assert.deepEqual(await sprintKeys(sprint1), ['AGL-2', 'AGL-4', 'AGL-3']);
    // Focus stays on the moved issue's button, so Enter again keeps moving it.
    assert.equal(await page.evaluate(() => document.activeElement.closest('.bl-row').dataset.key), 'AGL-4');
    await page.locator('.bl-row[data-key="AGL-3"]').dragTo(page.locator('.bl-row[data-key="AGL-2"]'));
    await until('AGL-3 first', async () => (await rows(sprint1)).join() === 'AGL-3,AGL-2,AGL-4');
    assert.deepEqual(await sprintKeys(sprint1), ['AGL-3', 'AGL-2', 'AGL-4']);
    assert.match(await text(`.bl-section[data-target="${sprint1}"] .bl-count`), /3 issues · 10 pts/);
    await shot('02-planned');
  });

  await t.test('the epics panel filters the backlog to the epic’s issues', async () => {
    await page.click('.epic-pick[data-epic="AGL-1"]');
    await until('the filter', async () => (await rows(sprint1)).join() === 'AGL-2,AGL-4');
    assert.deepEqual(await rows('backlog'), []);
    assert.equal(await page.getAttribute('.epic-pick[data-epic="AGL-1"]', 'aria-pressed'), 'true');
    await shot('03-epic-filter');
    await page.click('.epic-pick[data-epic=""]');
    await until('issues without epic', async () => (await rows(sprint1)).join() === 'AGL-3');
    assert.deepEqual(await rows('backlog'), ['AGL-5']);
    await page.click('.epic-pick[data-epic="*"]');
    await until('all issues', async () => (await rows(sprint1)).length === 3);
  });

  await t.test('start the sprint with a goal', async () => {
    await page.click('button.start-sprint');
    await page.waitForSelector('.overlay.start-sprint #sprint-name');
    assert.equal(await page.inputValue('#sprint-name'), 'AGL Sprint 1');
    assert.match(await text('.overlay.start-sprint'), /3 issues will be included/);
    await page.fill('#sprint-goal', 'Take payments');
    await shot('04-start-dialog');
    await page.click('.overlay.start-sprint button[type=submit]');
    await page.waitForSelector('.overlay.start-sprint', { state: 'detached' });
    await page.waitForSelector('.bl-section .sprint-state.active');
    const s = await rest('GET', `${AGILE}/sprint/${sprint1}`);
    assert.equal(s.state, 'active');
    assert.equal(s.goal, 'Take payments');
    assert.ok(s.startDate && s.endDate);
  });

  await t.test('the active sprint board: configured columns, cards with story points', async () => {
    await page.click('.board-tabs a[href="/board/AGL"]');
    await page.waitForSelector('.sprint-banner h2');
    assert.equal(await text('.sprint-banner h2'), 'AGL Sprint 1');
    assert.match(await text('.sprint-banner'), /Take payments/);
    const columns = await page.locator('.column h2').allInnerTexts();
    assert.deepEqual(columns.map((c) => c.toLowerCase()), ['to do', 'in progress', 'done']);
    const cards = await page.locator('.issue-card').evaluateAll((cs) => cs.map((c) => c.dataset.key).sort());
    assert.deepEqual(cards, ['AGL-2', 'AGL-3', 'AGL-4'], 'only the sprint’s issues');
    assert.equal(await text('.issue-card[data-key="AGL-3"] .points'), '5');
    assert.match(await text('.issue-card[data-key="AGL-3"]'), /Story/);
    assert.match(await text('.column[aria-label="To Do"] .col-points'), /10 pts/);
    await shot('05-active-sprint');
  });

  await t.test('move cards across columns by drag and by the keyboard menu', async () => {
    const done = page.locator('.column[aria-label="Done"]');
    await page.locator('.issue-card[data-key="AGL-2"]').dragTo(done.locator('.col-cards'));
    await page.waitForSelector('.flash .ok');
    assert.match(await text('.flash'), /AGL-2 moved to Done/);
    assert.equal((await rest('GET', '/rest/api/2/issue/AGL-2?fields=status')).fields.status.name, 'Done');
    const menu = page.locator('.issue-card[data-key="AGL-4"] select.move-column');
    await menu.focus();
    await menu.selectOption({ label: 'Done' });
    await until('AGL-4 done', async () => (await rest('GET', '/rest/api/2/issue/AGL-4?fields=status')).fields.status.name === 'Done');
    await page.locator('.issue-card[data-key="AGL-3"] select.move-column').selectOption({ label: 'In Progress' });
    await until('AGL-3 in progress', async () => (await rest('GET', '/rest/api/2/issue/AGL-3?fields=status')).fields.status.name === 'In Progress');
    assert.equal(await done.locator('.issue-card').count(), 2);
    assert.match(await text('.column[aria-label="Done"] .col-points'), /5 pts/);
    await shot('06-active-moved');
  });

  await t.test('complete the sprint: the unfinished issue goes to the next future sprint', async () => {
    sprint2 = (await rest('POST', `${AGILE}/sprint`, { name: 'AGL Sprint 2', originBoardId: board })).id;
    await page.reload();
    await page.click('.sprint-banner button.complete-sprint');
    await page.waitForSelector('.overlay.complete-sprint');
    assert.match(await text('.overlay.complete-sprint'), /2 issues are done/);
    assert.match(await text('.overlay.complete-sprint .unfinished'), /1 issue is not done and will be moved to AGL Sprint 2/);
    await shot('07-complete-dialog');
    await page.click('.overlay.complete-sprint button.primary');
    await page.waitForSelector('.sprint-banner.none');
    assert.equal((await rest('GET', `${AGILE}/sprint/${sprint1}`)).state, 'closed');
    assert.deepEqual(await sprintKeys(sprint2), ['AGL-3']);
    await page.click('.board-tabs a[href="/board/AGL/backlog"]');
    await page.waitForSelector(`.bl-section[data-target="${sprint2}"] .bl-row[data-key="AGL-3"]`);
    assert.deepEqual(await rows('backlog'), ['AGL-5']);
    await shot('08-after-complete');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('10-backlog-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 800 });
    await shot('11-backlog-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Enter on a focused row opens the issue.
    await page.locator('.bl-row[data-key="AGL-5"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/browse/AGL-5`);
    await page.goBack();
    await page.waitForSelector('.bl-backlog .bl-row[data-key="AGL-5"]');
  });

  await t.test('with no future sprint, completing sends the unfinished issues to the backlog', async () => {
    await rest('POST', `${AGILE}/sprint/${sprint2}`, { state: 'active', startDate: new Date().toISOString(), endDate: new Date(Date.now() + 7 * 86400000).toISOString() });
    await page.reload();
    await page.click(`.bl-section[data-target="${sprint2}"] button.complete-sprint`);
    assert.match(await text('.overlay.complete-sprint .unfinished'), /1 issue is not done and will be moved to the backlog/);
    await page.click('.overlay.complete-sprint button.primary');
    await page.waitForSelector(`.bl-backlog .bl-row[data-key="AGL-3"]`);
    assert.deepEqual(await backlogKeys(board), ['AGL-3', 'AGL-5']);
  });

  assert.deepEqual(problems, []);
});

test('a kanban board shows its columns over all its issues', async () => {
  await rest('POST', '/rest/api/2/project', { key: 'AGK', name: 'Agile Kanban', projectTypeKey: 'software' });
  const filter = await rest('POST', '/rest/api/2/filter', { name: 'AGK flow', jql: 'project = AGK ORDER BY Rank' });
  const kanban = await rest('POST', `${AGILE}/board`, { name: 'AGK flow', type: 'kanban', filterId: filter.id, location: { type: 'project', projectKeyOrId: 'AGK' } });
  for (const summary of ['Triage', 'Answer']) {
    await rest('POST', '/rest/api/2/issue', { fields: { project: { key: 'AGK' }, issuetype: { name: 'Task' }, summary } });
  }
  await page.goto(`${base}/board/AGK?board=${kanban.id}`);
  await page.waitForSelector('.issue-card[data-key="AGK-2"]');
  assert.equal(await text('h1'), 'AGK flow');
  assert.equal(await page.locator('.board-tabs').count(), 0, 'no backlog on a kanban board');
  assert.equal(await page.locator('.column[aria-label="To Do"] .issue-card').count(), 2);
  // Shift+→ on a focused card moves it one column.
  await page.locator('.issue-card[data-key="AGK-1"]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await until('AGK-1 in progress', async () => (await rest('GET', '/rest/api/2/issue/AGK-1?fields=status')).fields.status.name === 'In Progress');
  assert.equal(await page.locator('.column[aria-label="In Progress"] .issue-card[data-key="AGK-1"]').count(), 1);
  await shot('09-kanban');
  assert.deepEqual(problems, []);
});

// Compatibility proof for the agile API (issue 12): the unmodified jira.js `AgileClient`
// (npm `jira.js`) against the real tessera binary — boards and their configuration,
// sprints (create, read, start with a partial update, move issues in and rank them),
// the backlog, epics and ranking. Same harness as jira_js.test.js: a free loopback port,
// a fresh data directory, each test in its own project.
//
// Run: TESSERA_BIN=$PWD/target/debug/tessera node --test tests/compat-js/agile.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor, describeFailure } from './harness.js';
import { Version2Client, AgileClient, HttpException } from 'jira.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(repo, process.env.TESSERA_BIN || 'target/debug/tessera');
const PASSWORD = `jira-js-${randomBytes(9).toString('base64url')}`;
const ADMIN = 'admin';

let server, base, dataDir, jira, agile;


const until = (what, fn, timeout) => waitFor(server, bin, what, fn, timeout);


/** A jira.js client with HTTP Basic credentials (Jira Cloud style: `email:apiToken`). */
function client(email, apiToken) {
  return new Version2Client({
    host: base,
    authentication: { basic: { email, apiToken } },
    middlewares: { onError: describeFailure },
  });
}

/** jira.js's Jira Software client, `AgileClient`, with the same credentials. */
function agileClient(email, apiToken) {
  return new AgileClient({
    host: base,
    authentication: { basic: { email, apiToken } },
    middlewares: { onError: describeFailure },
  });
}

const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

async function newProject() {
  const key = letters(8);
  await jira.projects.createProject({ key, name: `Project ${key}`, projectTypeKey: 'software' });
  return key;
}

async function newIssue(project, summary, fields = {}, type = 'Story') {
  const created = await jira.issues.createIssue({
    fields: { project: { key: project }, summary, issuetype: { name: type }, ...fields },
  });
  return created.key;
}

async function boardOf(project) {
  const boards = await agile.board.getAllBoards({ projectKeyOrId: project });
  assert.equal(boards.total, 1);
  return boards.values[0];
}

const keysOf = (page) => page.issues.map((i) => i.key);

/** Asserts that `promise` rejects with jira.js's HttpException carrying `status`; returns the error. */
async function rejectsWith(promise, status) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof HttpException, `expected an HttpException, got ${caught}`);
  assert.equal(caught.status, status, `HTTP status; body: ${JSON.stringify(caught.response?.data)}`);
  return caught;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-compat-js-data-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // A developer's own TESSERA_* settings (base URL, data dir, ...) must not reach the server.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TESSERA_')));
  server = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_LOG: 'warn', NO_COLOR: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  server.once('error', (e) => console.error(`cannot start ${bin}: ${e.message}`));
  await until('the server', async () => (await fetch(`${base}/rest/api/2/serverInfo`)).ok, 30000);
  jira = client(ADMIN, PASSWORD);
  agile = agileClient(ADMIN, PASSWORD);
});

after(async () => {
  // Wait for the server to stop before removing its data directory (it writes on shutdown).
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('boards: getAllBoards, getBoard, getConfiguration', async () => {
  const key = await newProject();
  const board = await boardOf(key);
  assert.equal(board.type, 'scrum');
  assert.equal(board.location.projectKey, key);
  const same = await agile.board.getBoard({ boardId: board.id });
  assert.equal(same.id, board.id);
  assert.equal(same.name, board.name);
  const byType = await agile.board.getAllBoards({ type: 'scrum', name: board.name });
  assert.deepEqual(byType.values.map((b) => b.id), [board.id]);
  const config = await agile.board.getConfiguration({ boardId: board.id });
  assert.deepEqual(config.columnConfig.columns.map((c) => c.name), ['To Do', 'In Progress', 'Done']);
  assert.ok(config.columnConfig.columns.every((c) => c.statuses.length > 0));
  assert.equal(config.estimation.field.displayName, 'Story Points');
  assert.equal(typeof config.ranking.rankCustomFieldId, 'number');
  await rejectsWith(agile.board.getBoard({ boardId: 987654 }), 404);
});

test('sprints: create, read, move issues in and rank them, start with a partial update', async () => {
  const key = await newProject();
  const board = await boardOf(key);
  const a = await newIssue(key, 'first');
  const b = await newIssue(key, 'second');
  const c = await newIssue(key, 'third');
  const sprint = await agile.sprint.createSprint({ name: `${key} sprint`, originBoardId: board.id, goal: 'ship it' });
  assert.equal(sprint.state, 'future');
  const got = await agile.sprint.getSprint({ sprintId: sprint.id });
  assert.equal(got.name, `${key} sprint`);
  assert.equal(got.goal, 'ship it');
  assert.equal(got.originBoardId, board.id);

  await agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id, issues: [a, b] });
  assert.deepEqual(keysOf(await agile.sprint.getIssuesForSprint({ sprintId: sprint.id })), [a, b]);
  // Moving in with a rank puts the issue where it is asked to go.
  await agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id, issues: [c], rankBeforeIssue: a });
  assert.deepEqual(keysOf(await agile.sprint.getIssuesForSprint({ sprintId: sprint.id, fields: ['summary'] })), [c, a, b]);
  const onBoard = await agile.board.getBoardIssuesForSprint({ boardId: board.id, sprintId: sprint.id });
  assert.equal(onBoard.total, 3);

  // Starting takes dates; jira.js sends them as the caller gives them (ISO strings here).
  const start = new Date();
  const end = new Date(start.getTime() + 14 * 86400000);
  const started = await agile.sprint.partiallyUpdateSprint({
    sprintId: sprint.id, state: 'active', startDate: start.toISOString(), endDate: end.toISOString(),
  });
  assert.equal(started.state, 'active');
  assert.equal(started.goal, 'ship it', 'a partial update keeps what it does not name');
  assert.ok(started.startDate && started.endDate);
  const active = await agile.board.getAllSprints({ boardId: board.id, state: 'active' });
  assert.deepEqual(active.values.map((s) => s.id), [sprint.id]);
  const both = await agile.board.getAllSprints({ boardId: board.id, state: ['active', 'future'] });
  assert.equal(both.values.length, 1);

  // A second future sprint, then closing the first: the unfinished issues move on.
  const next = await agile.sprint.createSprint({ name: `${key} next`, originBoardId: board.id });
  const closed = await agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id, state: 'closed' });
  assert.equal(closed.state, 'closed');
  assert.deepEqual(keysOf(await agile.sprint.getIssuesForSprint({ sprintId: next.id })).sort(), [a, b, c].sort());
  await rejectsWith(agile.sprint.getSprint({ sprintId: 987654 }), 404);
});

test('backlog: moveIssuesToBacklog and moveIssuesToBacklogForBoard take issues out of their sprint', async () => {
  const key = await newProject();
  const board = await boardOf(key);
  const a = await newIssue(key, 'planned');
  const b = await newIssue(key, 'unplanned later');
  const sprint = await agile.sprint.createSprint({ name: `${key} sprint`, originBoardId: board.id });
  await agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id, issues: [a, b] });
  assert.deepEqual(keysOf(await agile.board.getIssuesForBacklog({ boardId: board.id })), []);
  await agile.backlog.moveIssuesToBacklog({ issues: [b] });
  assert.deepEqual(keysOf(await agile.board.getIssuesForBacklog({ boardId: board.id })), [b]);
  assert.deepEqual(keysOf(await agile.sprint.getIssuesForSprint({ sprintId: sprint.id })), [a]);
  // The per-board form takes a rank as well (the server once answered it 404).
  await agile.backlog.moveIssuesToBacklogForBoard({ boardId: board.id, issues: [a], rankBeforeIssue: b });
  assert.deepEqual(keysOf(await agile.board.getIssuesForBacklog({ boardId: board.id })), [a, b]);
  assert.deepEqual(keysOf(await agile.sprint.getIssuesForSprint({ sprintId: sprint.id })), []);
});

test('ranking: rankIssues before and after another issue', async () => {
  const key = await newProject();
  const board = await boardOf(key);
  const a = await newIssue(key, 'a');
  const b = await newIssue(key, 'b');
  const c = await newIssue(key, 'c');
  const order = async () => keysOf(await agile.board.getIssuesForBoard({ boardId: board.id, fields: ['summary'] }));
  assert.deepEqual(await order(), [a, b, c]);
  await agile.issue.rankIssues({ issues: [c], rankBeforeIssue: a });
  assert.deepEqual(await order(), [c, a, b]);
  await agile.issue.rankIssues({ issues: [c], rankAfterIssue: b });
  assert.deepEqual(await order(), [a, b, c]);
  const config = await agile.board.getConfiguration({ boardId: board.id });
  await agile.issue.rankIssues({ issues: [a, b], rankAfterIssue: c, rankCustomFieldId: config.ranking.rankCustomFieldId });
  assert.deepEqual(await order(), [c, a, b]);
  const backlog = await agile.board.getIssuesForBacklog({ boardId: board.id, jql: `key in (${a}, ${c})` });
  assert.deepEqual(keysOf(backlog), [c, a]);
});

test('epics: getEpic, the board’s epics and an epic’s issues', async () => {
  const key = await newProject();
  const board = await boardOf(key);
  const fields = await jira.issueFields.getFields();
  const epicName = fields.find((f) => f.name === 'Epic Name').id;
  const epicLink = fields.find((f) => f.name === 'Epic Link').id;
  const epic = await newIssue(key, 'The epic', { [epicName]: 'Payments' }, 'Epic');
  const story = await newIssue(key, 'A story in it', { [epicLink]: epic });
  await newIssue(key, 'A story outside');
  const e = await agile.epic.getEpic({ epicIdOrKey: epic });
  assert.equal(e.key, epic);
  assert.equal(e.name, 'Payments');
  assert.equal(e.summary, 'The epic');
  assert.equal(e.done, false);
  assert.equal(typeof e.color.key, 'string');
  const epics = await agile.board.getEpics({ boardId: board.id });
  assert.deepEqual(epics.values.map((x) => x.key), [epic]);
  assert.deepEqual(keysOf(await agile.epic.getIssuesForEpic({ epicIdOrKey: epic })), [story]);
  assert.deepEqual(keysOf(await agile.board.getBoardIssuesForEpic({ boardId: board.id, epicId: e.id })), [story]);
  await rejectsWith(agile.epic.getEpic({ epicIdOrKey: `${key}-999` }), 404);
});

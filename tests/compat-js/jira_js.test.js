// Compatibility proof: the unmodified jira.js client (npm `jira.js`, `Version2Client`)
// against the real tessera binary on a free loopback port with a fresh data directory.
// The client is driven only through its public API, the way Node scripts written for
// Jira do; each test works in its own project (a random key).
//
// Binary: $TESSERA_BIN (relative to the repository root), else target/debug/tessera.
// Run: node --test tests/compat-js/   (after `npm ci --prefix tests/compat-js`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor, describeFailure } from './harness.js';
import { Version2Client, HttpException } from 'jira.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(repo, process.env.TESSERA_BIN || 'target/debug/tessera');
const PASSWORD = `jira-js-${randomBytes(9).toString('base64url')}`;
const ADMIN = 'admin';
const ADMIN_EMAIL = 'admin@localhost';
const MISSING_ISSUE_MESSAGE = 'Issue does not exist or you do not have permission to see it.';

let server, base, dataDir, jira;


const until = (what, fn, timeout) => waitFor(server, bin, what, fn, timeout);


/** A jira.js client with HTTP Basic credentials (Jira Cloud style: `email:apiToken`). */
function client(email, apiToken) {
  return new Version2Client({
    host: base,
    authentication: { basic: { email, apiToken } },
    middlewares: { onError: describeFailure },
  });
}

const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

async function newProject() {
  const key = letters(8);
  const created = await jira.projects.createProject({ key, name: `Project ${key}`, projectTypeKey: 'software' });
  assert.equal(created.key, key);
  return key;
}

async function newIssue(project, summary = 'an issue', fields = {}) {
  const created = await jira.issues.createIssue({
    fields: { project: { key: project }, summary, issuetype: { name: 'Task' }, ...fields },
  });
  assert.match(created.key, new RegExp(`^${project}-\\d+$`));
  return created.key;
}

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

test('serverInfo', async () => {
  const info = await jira.serverInfo.getServerInfo();
  assert.ok(Array.isArray(info.versionNumbers) && info.versionNumbers.length > 0);
  assert.ok(info.versionNumbers.every(Number.isInteger));
  assert.equal(typeof info.version, 'string');
  assert.ok(info.version.length > 0);
});

test('myself, with the username or the email address and the password', async () => {
  const me = await jira.myself.getCurrentUser();
  assert.equal(me.name, ADMIN);
  assert.equal(me.emailAddress, ADMIN_EMAIL);
  assert.equal(me.active, true);

  const byEmail = await client(ADMIN_EMAIL, PASSWORD).myself.getCurrentUser();
  assert.equal(byEmail.name, ADMIN);

  await rejectsWith(client(ADMIN, `${PASSWORD}-wrong`).myself.getCurrentUser(), 401);
});

test('an API token works as the basic-auth secret, as on Jira Cloud', async () => {
  const name = `jira-js-${letters(6)}`;
  const created = await jira.sendRequest({ url: '/rest/pat/latest/tokens', method: 'POST', data: { name } });
  assert.equal(created.name, name);
  assert.equal(typeof created.rawToken, 'string');
  assert.ok(created.rawToken.length >= 20);

  const cloud = client(ADMIN_EMAIL, created.rawToken);
  assert.equal((await cloud.myself.getCurrentUser()).name, ADMIN);
  const byName = client(ADMIN, created.rawToken);
  assert.equal((await byName.myself.getCurrentUser()).name, ADMIN);

  await rejectsWith(client(ADMIN_EMAIL, `${created.rawToken}x`).myself.getCurrentUser(), 401);
});

test('create a project', async () => {
  const key = letters(8);
  const name = `jira.js ${key}`;
  const created = await jira.projects.createProject({ key, name, projectTypeKey: 'software', description: 'made by jira.js' });
  assert.equal(created.key, key);
  assert.match(String(created.id), /^\d+$/);

  const project = await jira.projects.getProject({ projectIdOrKey: key });
  assert.equal(project.key, key);
  assert.equal(project.name, name);
  assert.equal(String(project.id), String(created.id));
  assert.equal(project.description, 'made by jira.js');
});

test('list projects (searchProjects, the only project listing jira.js v5 has)', async () => {
  const key = await newProject();
  const page = await jira.projects.searchProjects({ query: key, maxResults: 50 });
  assert.deepEqual(page.values.map((p) => p.key), [key]);
  assert.equal(page.total, 1);
  assert.equal(page.isLast, true);
  assert.equal(page.startAt, 0);
});

test('create an issue and get it', async () => {
  const project = await newProject();
  const created = await jira.issues.createIssue({
    fields: {
      project: { key: project },
      summary: 'Printer on fire',
      description: 'Smoke from *tray 2*',
      issuetype: { name: 'Bug' },
      priority: { name: 'High' },
      labels: ['a', 'b'],
    },
  });
  assert.match(created.key, new RegExp(`^${project}-\\d+$`));
  assert.match(String(created.id), /^\d+$/);

  const issue = await jira.issues.getIssue({ issueIdOrKey: created.key });
  assert.equal(issue.key, created.key);
  assert.equal(String(issue.id), String(created.id));
  const f = issue.fields;
  assert.equal(f.project.key, project);
  assert.equal(f.summary, 'Printer on fire');
  assert.equal(f.description, 'Smoke from *tray 2*');
  assert.equal(f.issuetype.name, 'Bug');
  assert.equal(f.priority.name, 'High');
  assert.deepEqual([...f.labels].sort(), ['a', 'b']);
  assert.equal(f.status.name, 'To Do');
  assert.equal(f.reporter.name, ADMIN);
  assert.equal(f.resolution, null);

  // `fields` as an array: the client joins it with commas.
  const some = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['summary', 'priority'] });
  assert.deepEqual(Object.keys(some.fields).sort(), ['priority', 'summary']);
  assert.equal(some.fields.priority.name, 'High');
});

test('edit an issue', async () => {
  const project = await newProject();
  const key = await newIssue(project, 'old', { description: 'd1', labels: ['a'] });

  await jira.issues.editIssue({
    issueIdOrKey: key,
    fields: { summary: 'new', description: 'd2' },
    update: { labels: [{ add: 'b' }] },
  });
  let f = (await jira.issues.getIssue({ issueIdOrKey: key })).fields;
  assert.equal(f.summary, 'new');
  assert.equal(f.description, 'd2');
  assert.deepEqual([...f.labels].sort(), ['a', 'b']);

  await jira.issues.editIssue({ issueIdOrKey: key, notifyUsers: false, fields: { labels: ['z'], priority: { name: 'Low' } } });
  f = (await jira.issues.getIssue({ issueIdOrKey: key })).fields;
  assert.deepEqual(f.labels, ['z']);
  assert.equal(f.priority.name, 'Low');
  assert.equal(f.summary, 'new');

  await jira.issues.assignIssue({ issueIdOrKey: key, name: ADMIN });
  assert.equal((await jira.issues.getIssue({ issueIdOrKey: key })).fields.assignee.name, ADMIN);
});

test('add and get comments', async () => {
  const project = await newProject();
  const key = await newIssue(project);

  const added = await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'hello from jira.js' });
  assert.match(String(added.id), /^\d+$/);
  assert.equal(added.body, 'hello from jira.js');
  assert.equal(added.author.name, ADMIN);

  const second = await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'second' });

  const page = await jira.issueComments.getComments({ issueIdOrKey: key });
  assert.equal(page.total, 2);
  assert.deepEqual(page.comments.map((c) => c.id), [added.id, second.id]);
  assert.deepEqual(page.comments.map((c) => c.body), ['hello from jira.js', 'second']);

  const one = await jira.issueComments.getComment({ issueIdOrKey: key, id: added.id });
  assert.equal(one.body, 'hello from jira.js');

  const updated = await jira.issueComments.updateComment({ issueIdOrKey: key, id: added.id, comment: 'edited' });
  assert.equal(updated.body, 'edited');

  await jira.issueComments.deleteComment({ issueIdOrKey: key, id: second.id });
  const after = await jira.issueComments.getComments({ issueIdOrKey: key });
  assert.deepEqual(after.comments.map((c) => c.body), ['edited']);
  await rejectsWith(jira.issueComments.getComment({ issueIdOrKey: key, id: second.id }), 404);
});

test('get transitions and transition to Done and back', async () => {
  const project = await newProject();
  const key = await newIssue(project);

  const { transitions } = await jira.issues.getTransitions({ issueIdOrKey: key });
  const byName = Object.fromEntries(transitions.map((t) => [t.name, t]));
  assert.deepEqual(Object.keys(byName).sort(), ['Done', 'In Progress', 'In Review']);
  const done = byName.Done;
  assert.equal(done.id, '41');
  assert.equal(done.to.name, 'Done');
  assert.equal(done.to.statusCategory.key, 'done');

  await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: done.id } });
  let f = (await jira.issues.getIssue({ issueIdOrKey: key })).fields;
  assert.equal(f.status.name, 'Done');
  assert.equal(f.status.statusCategory.key, 'done');
  assert.equal(f.resolution?.name, 'Done');

  const now = (await jira.issues.getTransitions({ issueIdOrKey: key })).transitions;
  assert.ok(!now.some((t) => t.name === 'Done'), 'no Done transition from Done');
  const reopen = now.find((t) => t.to.name === 'To Do');
  assert.ok(reopen, `a transition back to To Do: ${JSON.stringify(now.map((t) => t.name))}`);

  await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: reopen.id } });
  f = (await jira.issues.getIssue({ issueIdOrKey: key })).fields;
  assert.equal(f.status.name, 'To Do');
  assert.equal(f.resolution, null);
});

test('search with JQL, GET and POST', async () => {
  const project = await newProject();
  const keys = [
    await newIssue(project, 'alpha one', { labels: ['red'] }),
    await newIssue(project, 'beta two', { labels: ['blue'] }),
    await newIssue(project, 'gamma three', { labels: ['red'] }),
  ];

  const all = await jira.issueSearch.searchForIssuesUsingJql({ jql: `project = ${project} ORDER BY key ASC` });
  assert.equal(all.total, 3);
  assert.deepEqual(all.issues.map((i) => i.key), keys);
  assert.equal(all.issues[0].fields.summary, 'alpha one');

  const page = await jira.issueSearch.searchForIssuesUsingJql({
    jql: `project = ${project} ORDER BY key ASC`,
    startAt: 1,
    maxResults: 1,
    fields: ['summary', 'labels'],
  });
  assert.equal(page.startAt, 1);
  assert.equal(page.maxResults, 1);
  assert.equal(page.total, 3);
  assert.deepEqual(page.issues.map((i) => i.key), [keys[1]]);
  assert.deepEqual(Object.keys(page.issues[0].fields).sort(), ['labels', 'summary']);

  const red = await jira.issueSearch.searchForIssuesUsingJqlPost({
    jql: `project = ${project} AND labels = red ORDER BY key DESC`,
    fields: ['summary'],
    maxResults: 10,
  });
  assert.equal(red.total, 2);
  assert.deepEqual(red.issues.map((i) => i.key), [keys[2], keys[0]]);
  assert.deepEqual(red.issues.map((i) => i.fields.summary), ['gamma three', 'alpha one']);

  const text = await jira.issueSearch.searchForIssuesUsingJqlPost({ jql: `project = ${project} AND summary ~ "beta"` });
  assert.deepEqual(text.issues.map((i) => i.key), [keys[1]]);

  // The newer enhanced search (`/rest/api/2/search/jql`), token paging instead of startAt.
  const enhanced = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
    jql: `project = ${project} ORDER BY key ASC`,
    fields: ['summary'],
    maxResults: 2,
  });
  assert.deepEqual(enhanced.issues.map((i) => i.key), keys.slice(0, 2));
  assert.equal(typeof enhanced.nextPageToken, 'string');
  const rest = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
    jql: `project = ${project} ORDER BY key ASC`,
    fields: ['summary'],
    maxResults: 2,
    nextPageToken: enhanced.nextPageToken,
  });
  assert.deepEqual(rest.issues.map((i) => i.key), [keys[2]]);

  const bad = await rejectsWith(jira.issueSearch.searchForIssuesUsingJql({ jql: `project = ${project} AND` }), 400);
  assert.ok(bad.response.data.errorMessages.length > 0, JSON.stringify(bad.response.data));
});

test('issue links', async () => {
  const project = await newProject();
  const blocker = await newIssue(project, 'blocker');
  const blocked = await newIssue(project, 'blocked');

  const types = await jira.issueLinkTypes.getIssueLinkTypes();
  const blocks = types.issueLinkTypes.find((t) => t.name === 'Blocks');
  assert.ok(blocks, 'the Blocks link type exists');
  assert.equal(blocks.outward, 'blocks');
  assert.equal(blocks.inward, 'is blocked by');

  await jira.issueLinks.linkIssues({
    type: { name: 'Blocks' },
    inwardIssue: { key: blocker },
    outwardIssue: { key: blocked },
    comment: { body: 'linked by jira.js' },
  });

  const links = (await jira.issues.getIssue({ issueIdOrKey: blocker, fields: ['issuelinks'] })).fields.issuelinks;
  assert.equal(links.length, 1);
  assert.equal(links[0].type.name, 'Blocks');
  assert.equal(links[0].outwardIssue.key, blocked);
  const back = (await jira.issues.getIssue({ issueIdOrKey: blocked, fields: ['issuelinks'] })).fields.issuelinks;
  assert.deepEqual(back.map((l) => l.inwardIssue?.key), [blocker]);

  const link = await jira.issueLinks.getIssueLink({ linkId: links[0].id });
  assert.equal(link.inwardIssue.key, blocker);
  assert.equal(link.outwardIssue.key, blocked);

  // The link's comment lands on the first (inward) issue.
  const comments = await jira.issueComments.getComments({ issueIdOrKey: blocker });
  assert.deepEqual(comments.comments.map((c) => c.body), ['linked by jira.js']);

  await jira.issueLinks.deleteIssueLink({ linkId: links[0].id });
  const none = (await jira.issues.getIssue({ issueIdOrKey: blocker, fields: ['issuelinks'] })).fields.issuelinks;
  assert.deepEqual(none, []);
  await rejectsWith(jira.issueLinks.getIssueLink({ linkId: links[0].id }), 404);
});

test('attachments', async () => {
  const project = await newProject();
  const key = await newIssue(project);
  const content = 'attached by jira.js\n';

  const uploaded = await jira.issueAttachments.addAttachment({
    issueIdOrKey: key,
    attachment: { filename: 'notes.txt', file: Buffer.from(content) },
  });
  assert.ok(Array.isArray(uploaded));
  assert.equal(uploaded.length, 1);
  assert.equal(uploaded[0].filename, 'notes.txt');
  assert.equal(uploaded[0].size, Buffer.byteLength(content));

  const meta = await jira.issueAttachments.getAttachment({ id: uploaded[0].id });
  assert.equal(meta.filename, 'notes.txt');
  assert.equal(meta.size, Buffer.byteLength(content));
  const f = (await jira.issues.getIssue({ issueIdOrKey: key, fields: ['attachment'] })).fields;
  assert.deepEqual(f.attachment.map((a) => a.filename), ['notes.txt']);
});

test('delete an issue', async () => {
  const project = await newProject();
  const key = await newIssue(project, 'to be deleted');
  assert.equal((await jira.issues.getIssue({ issueIdOrKey: key })).key, key);

  await jira.issues.deleteIssue({ issueIdOrKey: key });
  await rejectsWith(jira.issues.getIssue({ issueIdOrKey: key }), 404);
});

test('a missing issue is a 404 with Jira\'s message', async () => {
  const err = await rejectsWith(jira.issues.getIssue({ issueIdOrKey: 'NOPE-999999' }), 404);
  assert.deepEqual(err.response.data.errorMessages, [MISSING_ISSUE_MESSAGE]);
  assert.deepEqual(err.response.data.errors, {});
});

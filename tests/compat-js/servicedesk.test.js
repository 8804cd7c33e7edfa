// Compatibility proof: the unmodified jira.js client's `ServiceDeskClient` (npm `jira.js`)
// against Tessera's /rest/servicedeskapi, on the real tessera binary with a free loopback
// port and a fresh data directory. Setup that JSM's API has no call for (a service
// project, users, the agent role) goes through `Version2Client`; the rest goes through
// `ServiceDeskClient` as Node scripts written for Jira Service Management do. Each test
// makes its own desk (a random project key) and its own people.
//
// Binary: $TESSERA_BIN (relative to the repository root), else target/debug/tessera.
// Run: node --test tests/compat-js/servicedesk.test.js   (after `npm ci --prefix tests/compat-js`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor, describeFailure } from './harness.js';
import { Version2Client, ServiceDeskClient, HttpException } from 'jira.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(repo, process.env.TESSERA_BIN || 'target/debug/tessera');
const PASSWORD = `jira-js-${randomBytes(9).toString('base64url')}`;
const ADMIN = 'admin';

let server, base, dataDir, jira, admin;


const until = (what, fn, timeout) => waitFor(server, bin, what, fn, timeout);


const auth = (user, password) => ({
  host: base,
  authentication: { basic: { email: user, apiToken: password } },
  middlewares: { onError: describeFailure },
});

const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

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

/** A new user; answers `{name, sd}` with a ServiceDeskClient logged in as them. */
async function person(prefix) {
  const name = `${prefix}${letters(6).toLowerCase()}`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  await jira.users.createUser({ name, password, emailAddress: `${name}@example.com`, displayName: `User ${name}` });
  return { name, sd: new ServiceDeskClient(auth(name, password)) };
}

/** A service project (its desk comes with it), an agent and two customers. */
async function newDesk() {
  const key = letters(8);
  await jira.projects.createProject({ key, name: `Desk ${key}`, projectTypeKey: 'service_desk' });
  let id;
  for (let start = 0; !id; start += 50) {
    const page = await admin.serviceDesk.getServiceDesks({ start, limit: 50 });
    id = page.values.find((d) => d.projectKey === key)?.id;
    if (page.isLastPage) break;
  }
  assert.ok(id, `the desk of ${key}`);
  const agent = await person('jsa');
  const c1 = await person('jsc');
  const c2 = await person('jsc');
  const roles = await jira.projectRoles.getAllProjectRoles();
  const team = roles.find((r) => r.name === 'Service Desk Team');
  await jira.projectRoleActors.addActorUsers({ projectIdOrKey: key, id: team.id, user: [agent.name] });
  await admin.serviceDesk.addCustomers({ serviceDeskId: id, usernames: [c1.name, c2.name] });
  return { key, id, agent, c1, c2 };
}

async function requestTypeId(sd, serviceDeskId, name) {
  const types = await sd.serviceDesk.getRequestTypes({ serviceDeskId });
  return types.values.find((t) => t.name === name).id;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-compat-js-sd-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TESSERA_')));
  server = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_LOG: 'warn', NO_COLOR: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  server.once('error', (e) => console.error(`cannot start ${bin}: ${e.message}`));
  await until('the server', async () => (await fetch(`${base}/rest/api/2/serverInfo`)).ok, 30000);
  jira = new Version2Client(auth(ADMIN, PASSWORD));
  admin = new ServiceDeskClient(auth(ADMIN, PASSWORD));
});

after(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('service desks: list and one by id, as a customer sees them', async () => {
  const d = await newDesk();
  const mine = await d.c1.sd.serviceDesk.getServiceDesks();
  assert.deepEqual(mine.values.map((x) => x.projectKey), [d.key]);
  assert.equal(mine.isLastPage, true);
  const one = await d.c1.sd.serviceDesk.getServiceDeskById({ serviceDeskId: d.id });
  assert.equal(one.id, d.id);
  assert.equal(one.projectKey, d.key);
  await rejectsWith(d.c1.sd.serviceDesk.getServiceDeskById({ serviceDeskId: '999999' }), 404);
});

test('request types: per desk, all of them, one, its fields, groups', async () => {
  const d = await newDesk();
  const types = await d.c1.sd.serviceDesk.getRequestTypes({ serviceDeskId: d.id });
  const it = types.values.find((t) => t.name === 'Get IT help');
  assert.ok(it, JSON.stringify(types.values.map((t) => t.name)));
  const all = await admin.requestType.getAllRequestTypes({ limit: 100 });
  assert.ok(all.values.some((t) => t.id === it.id));
  const one = await d.c1.sd.serviceDesk.getRequestTypeById({ serviceDeskId: d.id, requestTypeId: it.id });
  assert.equal(one.name, 'Get IT help');
  const fields = await d.c1.sd.serviceDesk.getRequestTypeFields({ serviceDeskId: d.id, requestTypeId: it.id });
  assert.ok(fields.requestTypeFields.some((f) => f.fieldId === 'summary'));
  const groups = await d.c1.sd.serviceDesk.getRequestTypeGroups({ serviceDeskId: d.id });
  assert.ok(groups.values.length > 0);
});

test('requests: create, read by key, comment, and who sees it', async () => {
  const d = await newDesk();
  const rt = await requestTypeId(d.c1.sd, d.id, 'Get IT help');
  const created = await d.c1.sd.request.createCustomerRequest({
    serviceDeskId: d.id,
    requestTypeId: rt,
    requestFieldValues: { summary: 'VPN is down', description: 'since noon' },
  });
  const key = created.issueKey;
  assert.match(key, new RegExp(`^${d.key}-\\d+$`));
  assert.equal(created.reporter.name, d.c1.name);

  const got = await d.c1.sd.request.getCustomerRequestByIdOrKey({ issueIdOrKey: key });
  assert.equal(got.issueKey, key);
  assert.equal(got.requestFieldValues.find((f) => f.fieldId === 'summary').value, 'VPN is down');
  const byId = await d.agent.sd.request.getCustomerRequestByIdOrKey({ issueIdOrKey: created.issueId });
  assert.equal(byId.issueKey, key);
  await rejectsWith(d.c2.sd.request.getCustomerRequestByIdOrKey({ issueIdOrKey: key }), 404);

  const comment = await d.c1.sd.request.createRequestComment({ issueIdOrKey: key, body: 'still down', public: true });
  assert.equal(comment.body, 'still down');
  assert.equal(comment.public, true);
  await d.agent.sd.request.createRequestComment({ issueIdOrKey: key, body: 'router again', public: false });
  const seen = await d.c1.sd.request.getRequestComments({ issueIdOrKey: key });
  assert.deepEqual(seen.values.map((c) => c.body), ['still down']);
  const all = await d.agent.sd.request.getRequestComments({ issueIdOrKey: key });
  assert.deepEqual(all.values.map((c) => c.body), ['still down', 'router again']);
  const one = await d.c1.sd.request.getRequestCommentById({ issueIdOrKey: key, commentId: comment.id });
  assert.equal(one.body, 'still down');

  const mine = await d.c1.sd.request.getCustomerRequests({});
  assert.ok(mine.values.some((r) => r.issueKey === key));
});

test('request types: create one, then delete it', async () => {
  const d = await newDesk();
  const task = (await jira.issueTypes.getIssueAllTypes()).find((t) => t.name === 'Task');
  const made = await admin.serviceDesk.createRequestType({
    serviceDeskId: d.id,
    issueTypeId: task.id,
    name: 'Order coffee',
    description: 'Beans',
    helpText: 'Say how much',
  });
  assert.equal(made.name, 'Order coffee');
  assert.equal(made.issueTypeId, task.id);
  const one = await d.c1.sd.serviceDesk.getRequestTypeById({ serviceDeskId: d.id, requestTypeId: made.id });
  assert.equal(one.helpText, 'Say how much');
  await admin.serviceDesk.deleteRequestType({ serviceDeskId: d.id, requestTypeId: made.id });
  await rejectsWith(d.c1.sd.serviceDesk.getRequestTypeById({ serviceDeskId: d.id, requestTypeId: made.id }), 404);
});

test('organizations: create, members, on a desk, delete', async () => {
  const d = await newDesk();
  const name = `Org ${letters(6)}`;
  const org = await admin.organization.createOrganization({ name });
  assert.equal(org.name, name);
  const got = await admin.organization.getOrganization({ organizationId: org.id });
  assert.equal(got.name, name);

  const c1 = (await admin.serviceDesk.getCustomers({ serviceDeskId: d.id })).values.find((u) => u.name === d.c1.name);
  await admin.organization.addUsersToOrganization({ organizationId: org.id, accountIds: [c1.accountId] });
  const members = await admin.organization.getUsersInOrganization({ organizationId: org.id });
  assert.deepEqual(members.values.map((u) => u.accountId), [c1.accountId]);

  await admin.organization.addOrganization({ serviceDeskId: d.id, organizationId: Number(org.id) });
  const onDesk = await admin.organization.getServiceDeskOrganizations({ serviceDeskId: d.id });
  assert.deepEqual(onDesk.values.map((o) => o.id), [org.id]);
  const all = await admin.organization.getOrganizations({ limit: 100 });
  assert.ok(all.values.some((o) => o.id === org.id));
  const ofUser = await admin.organization.getOrganizations({ accountId: c1.accountId });
  assert.deepEqual(ofUser.values.map((o) => o.id), [org.id]);

  await admin.organization.removeUsersFromOrganization({ organizationId: org.id, accountIds: [c1.accountId] });
  assert.deepEqual((await admin.organization.getUsersInOrganization({ organizationId: org.id })).values, []);
  await admin.organization.removeOrganization({ serviceDeskId: d.id, organizationId: Number(org.id) });
  await admin.organization.deleteOrganization({ organizationId: org.id });
  await rejectsWith(admin.organization.getOrganization({ organizationId: org.id }), 404);
});

test('customers: create one and add them to a desk', async () => {
  const d = await newDesk();
  const email = `casey-${letters(6).toLowerCase()}@example.com`;
  const made = await admin.customer.createCustomer({ email, displayName: 'Casey Customer' });
  assert.equal(made.emailAddress, email);
  assert.equal(made.displayName, 'Casey Customer');
  await admin.serviceDesk.addCustomers({ serviceDeskId: d.id, accountIds: [made.accountId] });
  const customers = await admin.serviceDesk.getCustomers({ serviceDeskId: d.id, limit: 50 });
  assert.ok(customers.values.some((c) => c.accountId === made.accountId));
  await admin.serviceDesk.removeCustomers({ serviceDeskId: d.id, accountIds: [made.accountId] });
  const after = await admin.serviceDesk.getCustomers({ serviceDeskId: d.id });
  assert.ok(!after.values.some((c) => c.accountId === made.accountId));
  // A customer cannot make customers.
  await rejectsWith(d.c1.sd.customer.createCustomer({ email: `x${email}`, displayName: 'X' }), 403);
});

test('properties of request types and organizations', async () => {
  const d = await newDesk();
  const rt = await requestTypeId(admin, d.id, 'Get IT help');
  const owner = { serviceDeskId: d.id, requestTypeId: rt };
  // jira.js's setProperty sends no body: the key is set with a null value.
  await admin.serviceDesk.setProperty({ ...owner, propertyKey: 'flag' });
  // A value goes through the client's own transport.
  await admin.sendRequest({
    url: `/rest/servicedeskapi/servicedesk/${d.id}/requesttype/${rt}/property/colour`,
    method: 'PUT',
    data: { hue: 'teal' },
  });
  const keys = await d.c1.sd.serviceDesk.getPropertiesKeys(owner);
  assert.deepEqual(keys.keys.map((k) => k.key), ['colour', 'flag']);
  const colour = await d.c1.sd.serviceDesk.getProperty({ ...owner, propertyKey: 'colour' });
  assert.deepEqual(colour, { key: 'colour', value: { hue: 'teal' } });
  assert.equal((await admin.serviceDesk.getProperty({ ...owner, propertyKey: 'flag' })).value, null);
  // Customers read request type properties; only the desk's administrators write them.
  await rejectsWith(d.c1.sd.serviceDesk.setProperty({ ...owner, propertyKey: 'x' }), 403);
  await admin.serviceDesk.deleteProperty({ ...owner, propertyKey: 'flag' });
  await rejectsWith(admin.serviceDesk.getProperty({ ...owner, propertyKey: 'flag' }), 404);

  const org = await admin.organization.createOrganization({ name: `Org ${letters(6)}` });
  await admin.organization.setProperty({ organizationId: org.id, propertyKey: 'tier' });
  const orgKeys = await admin.organization.getPropertiesKeys({ organizationId: org.id });
  assert.deepEqual(orgKeys.keys.map((k) => k.key), ['tier']);
  const tier = await admin.organization.getProperty({ organizationId: org.id, propertyKey: 'tier' });
  assert.equal(tier.key, 'tier');
  // A customer outside the organization does not see it.
  await rejectsWith(d.c1.sd.organization.getPropertiesKeys({ organizationId: org.id }), 404);
  await admin.organization.deleteProperty({ organizationId: org.id, propertyKey: 'tier' });
  assert.deepEqual((await admin.organization.getPropertiesKeys({ organizationId: org.id })).keys, []);
});

test('attachments: temporary file, attach with a comment, the comment\'s files, the content', async () => {
  const d = await newDesk();
  const rt = await requestTypeId(d.c1.sd, d.id, 'Get IT help');
  const { issueKey } = await d.c1.sd.request.createCustomerRequest({
    serviceDeskId: d.id,
    requestTypeId: rt,
    requestFieldValues: { summary: 'with a log' },
  });
  const temp = await d.c1.sd.serviceDesk.attachTemporaryFile({
    serviceDeskId: d.id,
    attachment: { filename: 'log.txt', file: Buffer.from('line 1\n') },
  });
  const tempId = temp.temporaryAttachments[0].temporaryAttachmentId;
  const added = await d.c1.sd.request.createAttachment({
    issueIdOrKey: issueKey,
    temporaryAttachmentIds: [tempId],
    public: true,
    additionalComment: { body: 'the log' },
  });
  assert.deepEqual(added.attachments.values.map((a) => a.filename), ['log.txt']);
  const files = await d.agent.sd.request.getCommentAttachments({ issueIdOrKey: issueKey, commentId: added.comment.id });
  assert.deepEqual(files.values.map((a) => a.filename), ['log.txt']);
  const attachmentId = files.values[0]._links.jiraRest.split('/').pop();
  const content = await d.c1.sd.request.getAttachmentContent({ issueIdOrKey: issueKey, attachmentId });
  assert.equal(String(content), 'line 1\n');
  await rejectsWith(d.c2.sd.request.getAttachmentContent({ issueIdOrKey: issueKey, attachmentId }), 404);
  const listed = await d.c1.sd.request.getAttachmentsForRequest({ issueIdOrKey: issueKey });
  assert.deepEqual(listed.values.map((a) => a.filename), ['log.txt']);
});

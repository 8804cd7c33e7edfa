// What every jira.js suite here shares: a free loopback port for the binary, waiting
// for it to answer, and failure messages that show what was sent and what came back.
import { createServer } from 'node:net';
import { HttpException } from 'jira.js';

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Polls `fn` until it answers truthy; fails at once if the server process `server`
 * (started from `bin`) has exited. */
export async function waitFor(server, bin, what, fn, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`${bin} exited (${server.exitCode ?? server.signalCode}) before ${what} answered`);
    }
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

/** Puts the request and the server's answer into a failed call's message, so a failing
 * test shows what was sent and what came back (jira.js's own message is only axios's). */
export function describeFailure(err) {
  const req = err?.cause?.config;
  if (err instanceof HttpException && req) {
    const body = req.data === undefined || typeof req.data !== 'string' ? '' : ` ${req.data}`;
    const url = req.url + (req.params ? `?${new URLSearchParams(JSON.parse(JSON.stringify(req.params)))}` : '');
    err.message += ` [${String(req.method).toUpperCase()} ${url}${body} -> ${err.status} ${JSON.stringify(err.response?.data)}]`;
  }
}

// A local stand-in for GitHub's issue-comment endpoints (what the pull-request comment uses), for tests and the
// demo: list (paginated, with Link headers), create, update; refusals and outages on demand; every request kept.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GitHub's own limit on a comment body, in characters. */
const GITHUB_COMMENT_LIMIT = 65_536;

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface FakeGitHubRequest {
  method: string;
  /** Path without the base path, query included. */
  path: string;
  authorization?: string;
  body?: unknown;
  status: number;
}

/** An answer given instead of the real one, to the next `times` matching requests. */
export interface GitHubFault {
  status: number;
  method?: string;
  times?: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface FakeGitHubOptions {
  /** The token the API accepts (`Authorization: token …`). */
  token?: string;
  /** A base path, as GitHub Enterprise Server's `/api/v3`. */
  basePath?: string;
  owner?: string;
  repo?: string;
}

export interface FakeGitHub {
  /** What GITHUB_API_URL is set to. */
  apiUrl: string;
  token: string;
  requests: FakeGitHubRequest[];
  comments(issue: number): FakeComment[];
  /** A comment someone else wrote. */
  addComment(issue: number, body: string, login?: string): FakeComment;
  fail(fault: GitHubFault): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghs_fake0123456789abcdefTOKEN';
  const basePath = options.basePath ?? '';
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'workfront-config';
  const all: FakeComment[] = [];
  const requests: FakeGitHubRequest[] = [];
  const faults: GitHubFault[] = [];
  let nextId = 1000;
  let clock = Date.parse('2026-11-30T12:00:00Z');
  const stamp = () => new Date((clock += 1000)).toISOString();

  const make = (issue: number, body: string, login: string): FakeComment => {
    const at = stamp();
    const id = nextId++;
    const comment: FakeComment = {
      id,
      issue,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
    };
    all.push(comment);
    return comment;
  };
  const tooLong = (body: unknown) =>
    typeof body !== 'string'
      ? { message: 'Invalid request.\n\n"body" wasn\'t supplied.', status: '422' }
      : body.length > GITHUB_COMMENT_LIMIT
        ? {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'IssueComment',
                code: 'custom',
                field: 'body',
                message: 'body is too long (maximum is 65536 characters)',
              },
            ],
            status: '422',
          }
        : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, entry: FakeGitHubRequest) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${basePath}/`)) return send(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(basePath.length);
    entry.path = `${path}${url.search}`;
    const body = req.method === 'GET' ? undefined : await readJson(req);
    entry.body = body;
    const fault = faults.find((f) => !f.method || f.method === req.method);
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      return send(
        res,
        fault.status,
        { message: fault.message ?? 'Fault', status: String(fault.status) },
        fault.headers,
      );
    }
    if (entry.authorization !== `token ${token}`) return send(res, 401, { message: 'Bad credentials' });
    const prefix = `/repos/${owner}/${repo}/issues`;
    const list = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(path);
    const one = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(path);
    if (list && req.method === 'GET') {
      const issue = Number(list[1]);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
      const mine = all.filter((c) => c.issue === issue);
      const last = Math.max(Math.ceil(mine.length / perPage), 1);
      const headers: Record<string, string> = {};
      if (page < last) {
        const link = (to: number) =>
          `<http://${req.headers.host}${basePath}${path}?per_page=${perPage}&page=${to}>`;
        headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
      }
      return send(res, 200, mine.slice((page - 1) * perPage, page * perPage), headers);
    }
    if (list && req.method === 'POST') {
      const refused = tooLong((body as { body?: unknown })?.body);
      if (refused) return send(res, 422, refused);
      return send(res, 201, make(Number(list[1]), (body as { body: string }).body, 'github-actions[bot]'));
    }
    if (one && req.method === 'PATCH') {
      const comment = all.find((c) => c.id === Number(one[1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      const refused = tooLong((body as { body?: unknown })?.body);
      if (refused) return send(res, 422, refused);
      comment.body = (body as { body: string }).body;
      comment.updated_at = stamp();
      return send(res, 200, comment);
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const server: Server = createServer((req, res) => {
    const entry: FakeGitHubRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    handle(req, res, entry).catch(() => {
      if (!res.headersSent) send(res, 400, { message: 'Problems parsing JSON' });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    apiUrl: `http://127.0.0.1:${port}${basePath}`,
    token,
    requests,
    comments: (issue) => all.filter((c) => c.issue === issue),
    addComment: (issue, body, login = 'octocat') => make(issue, body, login),
    fail: (fault) => faults.push({ ...fault }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// `npm run screenshots`: the demo's job summaries as a person sees them, rendered by headless Chromium into
// docs/images/*.png, 1200 px wide. Run `npm run demo` first; not part of CI (it needs a browser).
//
// Each demo-output/*.html page is opened with GitHub's Markdown styles (tables scroll instead of overflowing, as on
// github.com); a page holding several steps (an <h2> each) gives one image per step, as GitHub shows it (folds
// closed), and the README's step (below) once more with every fold open (`Show 54 rows`). Tables wider
// than the page, whose last columns a reader would have to scroll to, are reported.
//
// The README shows the first step that installs into production as docs/images/summary-production.png.
//
// Options: --in <dir> (default demo-output), --out <dir> (default docs/images), --width <px> (default 1200).
// Chromium: CHROMIUM=<binary>, else the first of chromium, chromium-browser, google-chrome on the PATH.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    in: { type: 'string', default: 'demo-output' },
    out: { type: 'string', default: 'docs/images' },
    width: { type: 'string', default: '1200' },
  },
});
const WIDTH = Number(args.width);
/** The README's picture: the first step whose title says it installs into production. */
const README_IMAGE = { name: 'summary-production.png', title: /\binstall\b.*\binto production\b/i };

const INSTALL_HELP = `Chromium was not found. Install it, then run npm run screenshots again:
  Debian, Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  macOS:           brew install --cask chromium
or point CHROMIUM at any Chrome or Chromium binary: CHROMIUM=/path/to/chrome npm run screenshots`;

function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM
    ? [process.env.CHROMIUM]
    : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  return candidates.find((binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** GitHub's Markdown look, close enough to judge what a reader sees: fonts, tables, code, quotes, folds. */
const GITHUB_CSS = `
body{margin:0;background:#fff;color:#1f2328;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;max-width:none;padding:0}
main.step{padding:16px 32px 8px}
h1{display:none}
h2{font-size:12px;font-weight:600;color:#59636e;text-transform:uppercase;letter-spacing:.04em;margin:0 0 8px;border:0}
h3{font-size:1.25em;font-weight:600;margin:8px 0 12px}
h4{font-size:1em;font-weight:600;margin:20px 0 8px}
p,blockquote,ul,ol,table,details{margin:0 0 12px}
table{display:block;width:max-content;max-width:100%;overflow:auto;border-spacing:0;border-collapse:collapse}
td,th{padding:6px 13px;border:1px solid #d1d9e0}
th{font-weight:600}
tr:nth-child(2n){background:#f6f8fa}
code{padding:.2em .4em;font-size:85%;background:rgba(129,139,152,.12);border-radius:6px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
blockquote{padding:0 1em;color:#59636e;border-left:.25em solid #d1d9e0}
blockquote p{margin:4px 0}
details summary{cursor:pointer;color:#0969da}
a{color:#0969da;text-decoration:none}
hr{display:none}`;

/** Wraps each step (an <h2> and what follows it) in <main class="step">, styles the page, measures the steps. */
const PREPARE = (css: string) => `(() => {
  const style = document.createElement('style');
  style.textContent = ${JSON.stringify(css)};
  document.head.append(style);
  for (const old of document.querySelectorAll('style:not(:last-of-type)')) old.remove();
  const heads = [...document.body.querySelectorAll(':scope > h2')];
  const groups = heads.length ? heads : [null];
  for (const head of groups) {
    const step = document.createElement('main');
    step.className = 'step';
    step.dataset.title = head ? head.textContent : document.title;
    const nodes = [];
    for (let node = head ?? document.body.firstChild; node && (node === head || node.nodeName !== 'H2'); node = node.nextSibling) nodes.push(node);
    (head ?? document.body.firstChild)?.before(step);
    step.append(...nodes);
  }
  return true;
})()`;

const MEASURE = `[...document.querySelectorAll('main.step')].map((step) => {
  const box = step.getBoundingClientRect();
  const wide = [...step.querySelectorAll('table')].filter((t) => t.offsetParent && t.scrollWidth > t.clientWidth + 1)
    .map((t) => (t.closest('details')?.previousElementSibling ?? t.previousElementSibling)?.textContent?.trim() ?? 'a table');
  const folds = [...step.querySelectorAll('details > summary')].filter((s) => s.textContent.startsWith('Show ')).length;
  return { title: step.dataset.title, top: box.top + window.scrollY, height: box.height, folds, wide };
})`;

interface Step {
  title: string;
  top: number;
  height: number;
  folds: number;
  wide: string[];
}

/** A minimal DevTools-protocol client over Chromium's --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-framed). */
class Browser {
  private next = 1;
  private pending = new Map<number, { done: (value: unknown) => void; fail: (error: Error) => void }>();
  private waiters: Array<{ method: string; done: () => void }> = [];
  private buffer = '';
  private readonly input: Writable;
  private readonly child;
  private readonly profile = mkdtempSync(join(tmpdir(), 'screenshots-'));

  constructor(binary: string) {
    this.child = spawn(
      binary,
      [
        '--headless',
        '--remote-debugging-pipe',
        '--no-first-run',
        '--no-default-browser-check',
        '--hide-scrollbars',
        '--disable-gpu',
        '--font-render-hinting=none',
        `--user-data-dir=${this.profile}`,
        // Chromium's sandbox refuses to start as root (containers, CI); the pages are the demo's own files.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    this.input = this.child.stdio[3] as Writable;
    const output = this.child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    let stderr = '';
    this.child.stderr?.on('data', (chunk) => (stderr += chunk));
    this.child.on('exit', (code) => {
      for (const { fail } of this.pending.values())
        fail(new Error(`Chromium exited (${code}): ${stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        method?: string;
        result?: unknown;
        error?: { message: string };
      };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const call = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) call?.fail(new Error(message.error.message));
        else call?.done(message.result);
      } else if (message.method) {
        const index = this.waiters.findIndex((w) => w.method === message.method);
        if (index >= 0) this.waiters.splice(index, 1)[0].done();
      }
    }
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.next++;
    this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    return new Promise((done, fail) =>
      this.pending.set(id, { done: done as (value: unknown) => void, fail }),
    );
  }

  event(method: string): Promise<void> {
    return new Promise((done) => this.waiters.push({ method, done }));
  }

  async close(): Promise<void> {
    const exited = new Promise((done) => this.child.once('exit', done));
    await this.send('Browser.close').catch(() => undefined);
    await exited;
    rmSync(this.profile, { recursive: true, force: true });
  }
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .slice(0, 8)
    .join('-');

async function shoot(browser: Browser, page: string, out: string): Promise<string[]> {
  const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', {
    url: 'about:blank',
  });
  const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const call = <T = Record<string, unknown>>(method: string, params: object = {}) =>
    browser.send<T>(method, params, sessionId);
  await call('Page.enable');
  await call('Emulation.setDeviceMetricsOverride', {
    width: WIDTH,
    height: 900,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const loaded = browser.event('Page.loadEventFired');
  await call('Page.navigate', { url: pathToFileURL(page).href });
  await loaded;
  const evaluate = async <T>(expression: string): Promise<T> => {
    const answer = await call<{ result: { value: T }; exceptionDetails?: unknown }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
    });
    if (answer.exceptionDetails) throw new Error(`in ${page}: ${JSON.stringify(answer.exceptionDetails)}`);
    return answer.result.value;
  };
  await evaluate(PREPARE(GITHUB_CSS));
  const written: string[] = [];
  let readmeDone = false;
  const capture = async (steps: Step[], suffix: string, only: (step: Step) => boolean) => {
    for (const step of steps) {
      if (!only(step)) continue;
      const name = `${steps.length > 1 ? `${slug(step.title)}` : basename(page, '.html')}${suffix}.png`;
      const { data } = await call<{ data: string }>('Page.captureScreenshot', {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: step.top, width: WIDTH, height: Math.ceil(step.height), scale: 1 },
      });
      writeFileSync(join(out, name), Buffer.from(data, 'base64'));
      written.push(name);
      if (!suffix && !readmeDone && README_IMAGE.title.test(step.title)) {
        readmeDone = true;
        writeFileSync(join(out, README_IMAGE.name), Buffer.from(data, 'base64'));
        written.push(README_IMAGE.name);
      }
      for (const table of step.wide)
        console.warn(`  ${name}: "${table}" is wider than ${WIDTH} px: its last columns scroll out of sight`);
    }
  };
  await capture(await evaluate<Step[]>(MEASURE), '', () => true);
  await evaluate(`document.querySelectorAll('details').forEach((d) => (d.open = true))`);
  // Every record table open, for the README's step only: a whole release's tables would weigh megabytes.
  const readmeStep = (await evaluate<Step[]>(MEASURE)).find((step) => README_IMAGE.title.test(step.title));
  await capture(
    await evaluate<Step[]>(MEASURE),
    '-unfolded',
    (step) => step.folds > 0 && step.title === readmeStep?.title,
  );
  await browser.send('Target.closeTarget', { targetId });
  return written;
}

async function main(): Promise<void> {
  const input = resolve(ROOT, args.in as string);
  const out = resolve(ROOT, args.out as string);
  let pages: string[];
  try {
    pages = readdirSync(input)
      .filter((name) => name.endsWith('.html'))
      .map((name) => join(input, name));
  } catch {
    pages = [];
  }
  if (!pages.length) throw new Error(`no HTML pages in ${args.in}: run npm run demo first`);
  const binary = findChromium();
  if (!binary) {
    console.error(INSTALL_HELP);
    process.exitCode = 1;
    return;
  }
  mkdirSync(out, { recursive: true });
  const browser = new Browser(binary);
  try {
    for (const page of pages) {
      const written = await shoot(browser, page, out);
      console.log(`${basename(page)} → ${written.map((name) => join(args.out as string, name)).join(', ')}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

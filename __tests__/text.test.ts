// The sanitizer of server text, sink by sink: what each function promises, on the hardest inputs.
import { describe, expect, it } from '@jest/globals';
import { marked } from 'marked';
import {
  code,
  isId,
  md,
  outputValue,
  plain,
  plainLines,
  registerSecret,
} from '../src/report/text.js';
import { when } from '../src/report/format.js';

describe('log lines', () => {
  it('break both command forms, anywhere in the line', () => {
    const line = plain('Q3 ##[stop-commands]x ::warning::y\n::set-output name=a::b');
    expect(line).not.toMatch(/##\[|::|\n/);
    expect(line.replace(/\u200b/g, '')).toBe('Q3 ##[stop-commands]x ::warning::y ::set-output name=a::b');
  });

  it('keep line breaks only between lines made safe one by one', () => {
    expect(plainLines('a\r\n##[error]b\u2028::c::')).toBe(`a\n#\u200b#[error]b\n:\u200b:c:\u200b:`);
  });

  it('remove a registered secret before cutting, so no fragment of it is left', () => {
    const secret = 'S3CRET-0123456789abcdef0123456789';
    registerSecret(secret);
    const text = `${'x'.repeat(280)}${secret}`;
    for (const cut of [plain(text, 300), plainLines(text, 300), md(text, 300), outputValue(text)])
      expect(cut).not.toMatch(/S3CRET|0123456789ab/);
  });

  it('mask a JWT that nobody registered, before cutting', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.${'s'.repeat(40)}`;
    expect(plain(`token ${jwt} refused`, 30)).toBe('token *** refused');
  });
});

describe('outputs', () => {
  it('stay on one line, without control characters, the text otherwise as given', () => {
    expect(outputValue('a\nb\r\nc\u2028d\u0085e\u001b[31m::x::')).toBe('a b c d e::x::');
  });
});

describe('the summary', () => {
  const render = (text: string) => marked.parse(text, { gfm: true, async: false });

  it('md: no HTML, link, autolink, image, emoji or line-start markup', () => {
    for (const hostile of [
      '<img src=x onerror=alert(1)>',
      '[click me](https://evil.example)',
      '![i](https://evil.example/i.png)',
      'see https://evil.example and www.evil.example and a@evil.example',
      '- item',
      '1. item',
    ]) {
      const html = render(`| a |\n| --- |\n| ${md(hostile)} |\n\n> ${md(hostile)}`);
      expect(html).not.toMatch(/<img|<a |<li/);
    }
    expect(md(':smile:')).toBe(':\u200bsmile:');
    expect(md('127.0.0.1:8080')).toBe('127.0.0.1:8080');
  });

  it('code: shown as given inside a table cell, backticks and pipes included', () => {
    const html = render(`| a |\n| --- |\n| ${code('p`1|<b>')} |`);
    expect(html).toContain('<code>p`1|&lt;b&gt;</code>');
  });

  it('when: a date that parses in UTC, the text as given otherwise (then made inert by md)', () => {
    expect(when('2026-11-30T10:00:00+01:00')).toBe('2026-11-30 09:00 UTC');
    expect(md(when('sometime <b>'))).toBe('sometime &lt;b&gt;');
    expect(when(undefined)).toBe('');
  });
});

describe('ids', () => {
  it('only the id pattern of the inputs', () => {
    expect(['p1', 'a-b_C9', 'x'.repeat(64)].every(isId)).toBe(true);
    expect(['', 'p1/../x', 'p\n1', 'x'.repeat(65), '..', 5].some(isId)).toBe(false);
  });
});

describe('input errors', () => {
  it('echo a secret pasted into an id input redacted, then cut', async () => {
    const { readInputs } = await import('../src/inputs.js');
    const secret = `pasted-${'k'.repeat(90)}`;
    registerSecret(secret);
    const inputs: Record<string, string> = {
      operation: 'get',
      url: 'https://acme.preview.workfront.com',
      'api-key': 'another-key-12345',
      'package-id': `${secret}!`,
    };
    const { errors } = readInputs((name) => inputs[name] ?? '');
    expect(errors).toEqual(['Input "package-id": "***!" is not an id (letters, digits, - and _)']);
  });
});

#!/usr/bin/env node
// Prints what the settings page costs a browser: each JS, WASM and CSS file
// it loads, raw and as served with gzip and brotli. Starts the release
// server on a free loopback port with a throwaway database and a throwaway
// account to sign in with, and stops it.
//
//   node scripts/size-report.mjs          print the table
//   node scripts/size-report.mjs --check  also fail if brotli total > 100 KB
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 100 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AI_CONSOLE_BIN ?? join(root, 'target/release/server');
const siteRoot = process.env.AI_CONSOLE_SITE_ROOT ?? join(root, 'target/site');

const freePort = () =>
  new Promise((ok) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });

let cookie = '';

/** GET `path`, returning the body's size on the wire and its text. */
const get = (port, path, encoding) => request(port, 'GET', path, encoding ? { 'accept-encoding': encoding } : {});

const request = (port, method, path, headers, body) =>
  new Promise((ok, fail) => {
    const all = { ...headers, ...(cookie ? { cookie } : {}) };
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: all }, (response) => {
        const setCookie = response.headers['set-cookie'];
        if (setCookie) cookie = setCookie[0].split(';')[0];
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          ok({
            status: response.statusCode,
            encoding: response.headers['content-encoding'] ?? 'identity',
            bytes: body.length,
            text: body.toString('utf8'),
          });
        });
      });
    req.on('error', fail);
    req.end(body);
  });

async function signIn(port, email, password) {
  const form = new URLSearchParams({ email, password, next: '/settings/ai' }).toString();
  const response = await request(port, 'POST', '/api/account/sign-in', {
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(form),
    accept: 'text/html',
  }, form);
  if (response.status !== 302 || !cookie) throw new Error(`signing in failed (${response.status})`);
}

async function waitForServer(port, child) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const page = await get(port, '/login');
      if (page.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('the server did not start within 10 s');
}

const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7);

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'ai-console-size-'));
const password = randomBytes(18).toString('hex');
const env = {
  ...process.env,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_SITE_ROOT: siteRoot,
  LEPTOS_ENV: 'PROD',
  AI_CONSOLE_DATA_DIR: dataDir,
  AI_CONSOLE_NEW_PASSWORD: password,
  RUST_LOG: 'warn',
};
execFileSync(bin, ['create-user', '--email', 'size-report@example.com', '--name', 'Size report', '--role', 'member'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const child = spawn(bin, [], { stdio: ['ignore', 'ignore', 'inherit'], env });

let exitCode = 0;
try {
  await waitForServer(port, child);
  await signIn(port, 'size-report@example.com', password);
  const page = await get(port, '/settings/ai');
  if (page.status !== 200) throw new Error(`the settings page answered ${page.status}`);
  const html = page.text;
  const assets = [...new Set([...html.matchAll(/(?:href|src)="(\/[^"]+\.(?:js|wasm|css))"/g)].map((m) => m[1]))];
  if (!assets.some((a) => a.endsWith('.wasm'))) throw new Error('the page references no .wasm file');

  const rows = [];
  for (const path of assets) {
    const [raw, gzip, br] = await Promise.all([
      get(port, path),
      get(port, path, 'gzip'),
      get(port, path, 'br'),
    ]);
    if (raw.status !== 200) throw new Error(`${path} answered ${raw.status}`);
    rows.push({ path, raw: raw.bytes, gzip: gzip.bytes, br: br.bytes, brServed: br.encoding === 'br' });
  }
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);

  console.log('Page transfer size of /settings/ai (KB = 1024 bytes)');
  console.log(`${'file'.padEnd(32)} ${'raw'.padStart(7)} ${'gzip'.padStart(7)} ${'brotli'.padStart(7)}`);
  for (const row of rows) {
    console.log(`${row.path.padEnd(32)} ${kb(row.raw)} ${kb(row.gzip)} ${kb(row.br)}${row.brServed ? '' : '  (not compressed!)'}`);
  }
  console.log(`${'total'.padEnd(32)} ${kb(total('raw'))} ${kb(total('gzip'))} ${kb(total('br'))}`);
  console.log(`budget: ${kb(BUDGET_BYTES).trim()} KB brotli`);

  if (process.argv.includes('--check')) {
    if (rows.some((row) => !row.brServed)) {
      console.error('error: some assets are not served with brotli');
      exitCode = 1;
    }
    if (total('br') > BUDGET_BYTES) {
      console.error(`error: the page ships ${total('br')} bytes, over the ${BUDGET_BYTES}-byte budget`);
      exitCode = 1;
    }
  }
} catch (error) {
  console.error(`error: ${error.message}`);
  exitCode = 1;
} finally {
  child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);

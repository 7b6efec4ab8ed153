// Takes the README's picture of the AI & agents page: starts the release
// server on a fresh data directory and a free loopback port, creates an
// admin from the command line, signs in with Debian Chromium and saves
// docs/screenshot.png. Run after a release build (scripts/run.sh or
// scripts/test.sh): node scripts/screenshot.mjs
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'end2end', 'package.json'));
const { chromium } = require('@playwright/test');

const bin = process.env.AI_CONSOLE_BIN ?? join(root, 'target/release/server');
const siteRoot = process.env.AI_CONSOLE_SITE_ROOT ?? join(root, 'target/site');
const password = 'a picture-perfect password';

const port = await new Promise((done) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => done(port));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'ai-console-screenshot-'));
const env = {
  ...process.env,
  AI_CONSOLE_DATA_DIR: dataDir,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_SITE_ROOT: siteRoot,
  AI_PLAN: 'enterprise',
  AI_CONSOLE_NEW_PASSWORD: password,
};
execFileSync(bin, ['create-admin', '--email', 'ada@example.com', '--name', 'Ada Lovelace'], {
  env,
  stdio: 'ignore',
});
const server = spawn(bin, [], { env, stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
try {
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      if (tries > 100) throw new Error('the console did not start');
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail address').fill('ada@example.com');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/settings/ai`);
  await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });
  await browser.close();
  console.log('docs/screenshot.png');
} finally {
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}

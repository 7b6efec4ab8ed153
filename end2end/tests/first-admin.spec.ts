import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, guardedTest } from './fixtures';

// A brand-new deployment: its own server with an empty database. Started
// without a terminal (as by a service manager), it keeps the setup link
// out of its output and writes it to a private file in its data
// directory, where the operator reads it.
const root = resolve(__dirname, '../..');
const bin = process.env.AI_CONSOLE_BIN ?? join(root, 'target/release/server');
const siteRoot = process.env.AI_CONSOLE_SITE_ROOT ?? join(root, 'target/site');

const freePort = () =>
  new Promise<number>((ok) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => ok(address.port));
    });
  });

const test = guardedTest.extend<{ fresh: { setupLink: string } }>({
  fresh: async ({}, use) => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'ai-console-e2e-fresh-'));
    const linkFile = join(dataDir, 'first-admin-link.txt');
    const child: ChildProcess = spawn(bin, [], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: siteRoot,
        AI_CONSOLE_DATA_DIR: dataDir,
        RUST_LOG: 'info',
      },
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk.toString()));
    // Ready once it says where the link is.
    await expect.poll(() => output, { timeout: 15_000 }).toContain('first-admin-link.txt');
    expect(existsSync(linkFile)).toBe(true);
    const setupLink = readFileSync(linkFile, 'utf8').trim();
    expect(setupLink).toMatch(/^http:\/\/\S+\/setup\?token=\w+$/);
    expect(output).not.toContain('token=');
    await use({ setupLink });
    child.kill('SIGTERM');
  },
});

test('the first admin is created from the printed link, which then stops working', async ({ page, fresh }) => {
  await page.goto(fresh.setupLink);
  await expect(page.getByRole('heading', { name: 'Create the first admin' })).toBeVisible();
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('E-mail address').fill('grace@example.com');
  await page.getByLabel('Password', { exact: true }).fill('a password long enough');
  await page.getByLabel('Password again').fill('a password long enuogh');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Please type the same password twice; the two entries differ.',
  );
  await expect(page.getByLabel('Your name')).toHaveValue('Grace Hopper');

  await page.getByLabel('Password', { exact: true }).fill('a password long enough');
  await page.getByLabel('Password again').fill('a password long enough');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'AI & agents' })).toBeVisible();
  await expect(page.getByText('Grace Hopper · Admin')).toBeVisible();

  await page.goto(fresh.setupLink);
  await expect(page.getByRole('alert')).toContainText('This setup link is not valid');
  await expect(page.getByRole('button', { name: 'Create admin account' })).toHaveCount(0);
});

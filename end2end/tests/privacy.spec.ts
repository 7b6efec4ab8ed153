import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AiSettingsPage, expect, guardedTest, test } from './fixtures';
import { memberJoins, openMembers, REMOVED, row } from './invitations';
import { PASSWORD } from './people';

// This project's server is a Team workspace in the US, on SQLite.

// Every page a signed-out visitor can open (an invitation and the setup
// link without their token answer with their own explanation).
const SIGNED_OUT_PAGES = ['/login', '/privacy', '/join', '/setup'];
const SIGNED_IN_PAGES = ['/settings/ai', '/settings/members', '/settings/api', '/settings/account', '/privacy'];

/** Every request `page` makes from now on, by URL. */
function recordRequests(page: Page) {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The server's database files (not its log), as one lower-cased text. */
function databaseBytes(): string {
  const dir = join(process.env.E2E_DATA_ROOT!, 'team');
  return readdirSync(dir)
    .filter((name) => /\.(db|sqlite)(-wal|-shm|-journal)?$/.test(name))
    .map((name) => readFileSync(join(dir, name)).toString('latin1').toLowerCase())
    .join('\n');
}

guardedTest('no request leaves the console, and the only cookie is its own session cookie', async ({
  page,
  baseURL,
  context,
  guard,
}) => {
  // Without their token, both answer 410 with a page that says why.
  guard.allowFailuresOf(/\/(join|setup)$/);
  const requests = recordRequests(page);
  for (const path of SIGNED_OUT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  expect(await context.cookies()).toEqual([]);

  await new AiSettingsPage(page).signIn('admin');
  for (const path of SIGNED_IN_PAGES) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  const origin = new URL(baseURL!).origin;
  expect(requests.length).toBeGreaterThan(SIGNED_IN_PAGES.length);
  expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);

  const cookies = await context.cookies();
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({
    name: 'console_session',
    domain: new URL(baseURL!).hostname,
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
  });
});

guardedTest('the privacy notice is one click from the sign-in page and states this installation\'s facts', async ({
  page,
}) => {
  await page.goto('/login');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await expect(page.getByText(/^Last updated: \d{4}-\d{2}-\d{2}$/)).toBeVisible();
  const kept = page.getByRole('region', { name: 'What the console keeps about you' });
  await expect(kept).toContainText('Kept 400 days.');
  await expect(kept).toContainText('after 30 minutes without use');
  await expect(page.getByRole('region', { name: 'Cookies' })).toContainText('One cookie, "console_session"');
  const processing = page.getByRole('region', { name: 'Where data is processed' });
  await expect(processing).toContainText("This workspace's data is kept in the United States.");
  await expect(processing).toContainText('OpenAI, the provider this console manages, processed in the United States.');
  await expect(processing).not.toContainText('out of');
});

test('a person downloads their data, corrects their name and address, and deletes their account without trace', async ({
  page,
  browser,
  settings,
}) => {
  await settings.goto();
  const zoe = await memberJoins(page, browser, 'zoe.quintessa@example.com', 'Zoe Quintessa');
  const own = zoe.page;
  await own.getByRole('link', { name: 'Your account' }).click();
  await expect(own.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  expect((await new AxeBuilder({ page: own }).analyze()).violations).toEqual([]);

  const downloading = own.waitForEvent('download');
  await own.getByRole('link', { name: 'Download your data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('my-data.json');
  const file = readFileSync((await download.path())!, 'utf8');
  const data = JSON.parse(file);
  expect(data.account).toMatchObject({ name: 'Zoe Quintessa', email: 'zoe.quintessa@example.com', role: 'Member' });
  expect(data.sessions).toHaveLength(1);
  expect(file).not.toContain('argon2');
  expect(file).not.toContain(PASSWORD);

  // A new address needs the password; a refusal keeps what was typed.
  await own.getByLabel('Name', { exact: true }).fill('Zoe Q. Quintessa');
  await own.getByRole('textbox', { name: 'E-mail address', exact: true }).fill('zoe.q@example.com');
  await own.getByRole('button', { name: 'Save name and e-mail' }).click();
  await expect(own.getByRole('alert')).toHaveText('The current password is not right. Nothing was changed.');
  await expect(own.getByRole('textbox', { name: 'E-mail address', exact: true })).toHaveValue('zoe.q@example.com');
  await own.getByLabel('Password, to confirm a new e-mail address').fill(PASSWORD);
  await own.getByRole('button', { name: 'Save name and e-mail' }).click();
  await expect(own.getByRole('status')).toHaveText('Your name and e-mail address were saved.');
  await expect(own.getByText('Zoe Q. Quintessa · Member')).toBeVisible();

  await own.getByText('Delete my account…').click();
  await own.getByLabel('Your password', { exact: true }).fill('not the password, surely');
  await own.getByRole('button', { name: 'Delete my account and my data' }).click();
  await expect(own.getByRole('alert')).toHaveText('The current password is not right. Nothing was changed.');
  // The refused form comes back open.
  await own.getByLabel('Your password', { exact: true }).fill(PASSWORD);
  await own.getByRole('button', { name: 'Delete my account and my data' }).click();
  await expect(own.getByText('Your account was deleted')).toBeVisible();
  zoe.guard.assertClean();
  await zoe.close();

  await openMembers(page);
  await expect(row(page, 'Quintessa')).toHaveCount(0);
  await settings.goto();
  await expect(page.getByText(/Former member \d+ deleted their own account/).first()).toBeVisible();
  const stored = databaseBytes();
  for (const trace of ['quintessa', 'zoe.q@example.com']) {
    expect(stored.includes(trace), `the database files still hold "${trace}"`).toBe(false);
  }
});

test('a suspended member is signed out and cannot sign in until an admin restores them', async ({
  page,
  browser,
  settings,
}) => {
  await settings.goto();
  const sam = await memberJoins(page, browser, 'sam@example.com', 'Sam Suspended');

  await row(page, 'Sam Suspended').getByRole('button', { name: 'Suspend: Sam Suspended' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Suspended: they are signed out and cannot sign in until restored.',
  );
  await expect(row(page, 'Sam Suspended')).toContainText('Suspended');
  await sam.page.reload();
  await expect(sam.page).toHaveURL(/\/login/);
  await sam.page.getByLabel('E-mail address').fill('sam@example.com');
  await sam.page.getByLabel('Password').fill(PASSWORD);
  await sam.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(sam.page.getByRole('alert')).toContainText('This account is suspended');
  sam.guard.allowFailuresOf(/\/api\/account\/sign-in/);

  await row(page, 'Sam Suspended').getByRole('button', { name: 'Restore: Sam Suspended' }).click();
  await expect(page.getByRole('status')).toHaveText('Restored: they can sign in again.');
  await sam.page.getByLabel('Password').fill(PASSWORD);
  await sam.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(sam.page.getByText('Sam Suspended · Member')).toBeVisible();
  sam.guard.assertClean();
  await sam.close();

  await row(page, 'Sam Suspended').getByText('Remove…').click();
  await row(page, 'Sam Suspended').getByRole('button', { name: 'Remove Sam Suspended' }).click();
  await expect(page.getByRole('status')).toHaveText(REMOVED);
});

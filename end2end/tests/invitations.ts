// Members page steps shared by the specs that invite, change and remove
// people.
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { BrowserGuard, expect } from './fixtures';
import { PASSWORD } from './people';

/** What the Members page says after a removal. */
export const REMOVED = 'Removed from the workspace and signed out; their name and e-mail address were erased.';

export const table = (page: Page) => page.getByRole('table').first();
export const row = (page: Page, name: string) => table(page).getByRole('row').filter({ hasText: name });

export async function openMembers(page: Page) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
}

/** Creates an invitation and returns the link the page shows once. */
export async function invite(page: Page, email: string, role: 'Member' | 'Admin') {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Role').selectOption({ label: role });
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByRole('status')).toHaveText('Invitation created.');
  return page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
}

/** Opens `link` in a browser of its own, as the invited person would. */
export async function joinInNewBrowser(browser: Browser, link: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const guard = new BrowserGuard(page, true);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: /^Join / })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'AI & agents' })).toBeVisible();
  return { page, guard, close: () => context.close() };
}


/**
 * From the admin's settings page: invites `email` as a member, the person
 * joins as `name` in a browser of their own, and the admin's Members page
 * shows them.
 */
export async function memberJoins(page: Page, browser: Browser, email: string, name: string) {
  await openMembers(page);
  const link = await invite(page, email, 'Member');
  const joined = await joinInNewBrowser(browser, link, name);
  // The admin's page lists them from the next load on.
  await page.reload();
  return joined;
}

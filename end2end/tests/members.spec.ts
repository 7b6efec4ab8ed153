import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { invite, joinInNewBrowser, openMembers, REMOVED, row } from './invitations';
import { PASSWORD, people } from './people';

test('an admin invites someone, who joins with the link; role changes and removal apply at once', async ({
  page,
  browser,
  settings,
}) => {
  await settings.goto();
  await openMembers(page);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await expect(row(page, `${people.admin.name} (you)`)).toContainText('The only admin');

  const link = await invite(page, 'grace@example.com', 'Member');
  expect(link).toMatch(/\/join\?token=[0-9a-f]{64}$/);
  const grace = await joinInNewBrowser(browser, link, 'Grace Hopper');
  await expect(grace.page.getByText('Grace Hopper · Member')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Invitation link' })).toHaveCount(0);
  await row(page, 'Grace Hopper').getByRole('button', { name: 'Make admin: Grace Hopper' }).click();
  await expect(page.getByRole('status')).toHaveText('Role changed. It applies from their next click.');
  await grace.page.reload();
  await expect(grace.page.getByText('Grace Hopper · Admin')).toBeVisible();
  // With a second admin, the first may now step down too.
  await expect(row(page, `${people.admin.name} (you)`).getByRole('button', { name: /Make member/ })).toBeVisible();

  await row(page, 'Grace Hopper').getByText('Remove…').click();
  await row(page, 'Grace Hopper').getByRole('button', { name: 'Remove Grace Hopper' }).click();
  await expect(page.getByRole('status')).toHaveText(REMOVED);
  await expect(row(page, 'Grace Hopper')).toHaveCount(0);
  await grace.page.reload();
  await expect(grace.page).toHaveURL(/\/login/);
  grace.guard.assertClean();
  await grace.close();
});

test('a withdrawn invitation link explains that it no longer works', async ({ page, guard, settings }) => {
  await settings.goto();
  await openMembers(page);
  const link = await invite(page, 'withdrawn@example.com', 'Admin');
  const pending = page.getByRole('table').filter({ hasText: 'withdrawn@example.com' });
  await pending.getByRole('button', { name: 'Withdraw the invitation of withdrawn@example.com' }).click();
  await expect(page.getByRole('status')).toHaveText('Invitation withdrawn; its link no longer works.');

  guard.allowFailuresOf(/\/join\?/);
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('This invitation link is not valid');
  await expect(page.getByRole('button', { name: 'Create account and join' })).toHaveCount(0);
});

test('a member sees who belongs, without the controls', async ({ page, settings }) => {
  await settings.signOut();
  await settings.signIn('member');
  await openMembers(page);
  await expect(page.getByText('Only admins can invite people or change roles.')).toBeVisible();
  await expect(row(page, `${people.member.name} (you)`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Make (admin|member)/ })).toHaveCount(0);
});

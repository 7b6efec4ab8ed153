import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, guardedTest as test } from './fixtures';

// Single sign-on against a real OpenID provider on loopback
// (end2end/oidc-provider.mjs): ada is in the admins' group, max in the
// members', eve in neither. Roles follow the groups at every sign-in.

/** The provider, whose port the config chose just before the fake model
 * provider's (the last). */
function provider() {
  const ports = (process.env.E2E_PORTS ?? '').split(',');
  return `http://127.0.0.1:${ports[ports.length - 2]}`;
}

/** Signs in through the provider as `user`, starting from the console. */
async function signOn(page: Page, user: string) {
  await page.goto('/login?next=/settings/ai');
  await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Example ID' })).toBeVisible();
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('any password will do');
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('the sign-in page offers the identity provider next to the password form', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('link', { name: 'Sign in with Example ID' })).toBeVisible();
  await expect(page.getByLabel('E-mail address')).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test('a member and an admin sign in through the provider with the roles their groups give', async ({ page }) => {
  await signOn(page, 'max');
  await expect(page.getByRole('heading', { level: 1, name: 'AI & agents' })).toBeVisible();
  await expect(page.locator('.account-name')).toHaveText('Max Planck · Member');
  await expect(page.locator('#read-only-note')).toBeVisible();

  // Signing out ends the session here and at the provider.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login/);

  await signOn(page, 'ada');
  await expect(page.locator('.account-name')).toHaveText('Ada Lovelace · Admin');
  await expect(page.locator('#read-only-note')).toHaveCount(0);
});

test('someone in no mapped group is refused with a plain message', async ({ page }) => {
  await signOn(page, 'eve');
  await expect(page).toHaveURL(/\/login\?error=sign-on-no-group/);
  await expect(page.getByRole('alert')).toContainText('in no group that may use this console');
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login/);
});

test('a sign-in that comes back with another state is refused', async ({ page }) => {
  await page.goto('/login?next=/settings/ai');
  await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Example ID' })).toBeVisible();
  // A forged answer, as from someone else's sign-in.
  await page.goto('/auth/oidc/callback?code=stolen-code&state=not-this-sessions-state');
  await expect(page).toHaveURL(/\/login\?error=sign-on-expired/);
  await expect(page.getByRole('alert')).toContainText('could not be completed');
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login/);
});

test('a change of groups at the provider changes the role at the next sign-in', async ({ page, request }) => {
  const regroup = async (groups: string[]) => {
    const answer = await request.post(`${provider()}/test/groups`, { data: { user: 'max', groups } });
    expect(answer.status()).toBe(200);
  };
  await regroup(['console-admins']);
  try {
    await signOn(page, 'max');
    await expect(page.locator('.account-name')).toHaveText('Max Planck · Admin');
    await expect(page.getByText('Role of Max Planck: Member → Admin (groups at the identity provider)')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page.getByText('You are signed out.')).toBeVisible();
  } finally {
    await regroup(['console-members']);
  }
  await signOn(page, 'max');
  await expect(page.locator('.account-name')).toHaveText('Max Planck · Member');
});

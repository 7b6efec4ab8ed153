import AxeBuilder from '@axe-core/playwright';
import { AiSettingsPage, expect, guardedTest } from './fixtures';
import { PASSWORD, people } from './people';

// These tests start signed out, so they do not use the signed-in
// `settings` fixture.
const test = guardedTest.extend<{ page_: AiSettingsPage }>({
  page_: async ({ page }, use) => use(new AiSettingsPage(page)),
});

test('visiting the settings signed out leads to sign-in and back', async ({ page, page_: settings }) => {
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login\?next=\/settings\/ai/);
  await page.getByLabel('E-mail address').fill(people.admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(settings.heading).toBeVisible();
  await expect(page.getByText(`${people.admin.name} · Admin`)).toBeVisible();
});

test('a wrong password is refused with a message and the e-mail kept', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('E-mail address').fill(people.admin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That e-mail address and password do not match an account.');
  await expect(page.getByLabel('E-mail address')).toHaveValue(people.admin.email);
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('a member sees the settings read-only', async ({ page, page_: settings }) => {
  await settings.signIn('member');
  await expect(page.getByText('only admins can change them')).toBeVisible();
  await expect(settings.aiSwitch).toBeDisabled();
  await expect(settings.trainingSwitch).toBeDisabled();
  await expect(page.getByText(`${people.member.name} · Member`)).toBeVisible();
});

test('signing out ends the session', async ({ page, page_: settings }) => {
  await settings.signIn('admin');
  await settings.signOut();
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login/);
});

test('the page is served with a nonce CSP and still becomes interactive', async ({ page, page_: settings }) => {
  await settings.signIn('admin');
  const response = await page.goto('/settings/ai');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(policy).not.toContain('unsafe-inline');
  await settings.waitUntilInteractive();
});

test('a person changes their own password on the account page, which passes axe', async ({ page, page_: settings }) => {
  await settings.signIn('member');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Your account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  const change = async (from: string, to: string) => {
    await page.getByLabel('Current password').fill(from);
    await page.getByLabel('New password', { exact: true }).fill(to);
    await page.getByLabel('New password again').fill(to);
    await page.getByRole('button', { name: 'Change password' }).click();
  };
  await change('not my password', 'another long password');
  await expect(page.getByRole('alert')).toHaveText('The current password is not right. Nothing was changed.');

  await change(PASSWORD, 'another long password');
  await expect(page.getByRole('status')).toHaveText('Your password was changed. Every other session was signed out.');
  // Back to the shared e2e password, for the other specs.
  await change('another long password', PASSWORD);
  await expect(page.getByRole('status')).toBeVisible();
});

import AxeBuilder from '@axe-core/playwright';
import { expect, guardedTest as test } from './fixtures';
import { PASSWORD, people } from './people';

// A console where only single sign-on signs people in
// (AI_PASSWORD_SIGN_IN=off): the page says so, and the password door is shut.

test('with password sign-in off, the page offers only the identity provider and says how admins get in', async ({
  page,
  request,
}) => {
  await page.goto('/login');
  await expect(page.getByRole('link', { name: 'Sign in with Example ID' })).toBeVisible();
  await expect(page.getByLabel('E-mail address')).toHaveCount(0);
  await expect(page.locator('#password-sign-in-off')).toContainText('server create-admin');
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  // Posting the form anyway changes nothing.
  const answer = await request.post('/api/account/sign-in', {
    form: { email: people.admin.email, password: PASSWORD, next: '/settings/ai' },
    headers: { origin: new URL(page.url()).origin, 'sec-fetch-site': 'same-origin', accept: 'application/json' },
    maxRedirects: 0,
  });
  expect(answer.status()).toBe(403);
  await page.goto('/settings/ai');
  await expect(page).toHaveURL(/\/login/);
});

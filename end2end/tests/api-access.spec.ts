import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

test('an admin creates a service token, which reads the policy until it is revoked', async ({
  page,
  settings,
  request,
}) => {
  await settings.goto();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API access' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API access' })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  await page.getByLabel('Name of the service that will use it').fill('Notebook agent');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('status')).toHaveText('Service token created.');
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();
  expect(token).toMatch(/^aic_[0-9a-f]{48}$/);
  const path = await page.locator('#policy-title + p code').first().innerText();

  const asService = (headers: Record<string, string> = {}) =>
    request.get(path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const answer = await asService();
  expect(answer.status()).toBe(200);
  const policy = await answer.json();
  expect(policy).toMatchObject({ ai_enabled: true, provider: { kind: 'managed', region: 'us' } });
  expect(policy.provider).not.toHaveProperty('key');
  const etag = answer.headers()['etag'];
  expect((await asService({ 'if-none-match': etag })).status()).toBe(304);

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Service token' })).toHaveCount(0);
  // Revoking asks first.
  await page.getByText('Revoke…').click();
  await expect(page.getByText('Services using “Notebook agent” are refused from the next request')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke Notebook agent' }).click();
  await expect(page.getByRole('status')).toHaveText('Token revoked. Requests with it are refused from now on.');
  expect((await asService()).status()).toBe(401);
});

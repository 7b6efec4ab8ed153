import AxeBuilder from '@axe-core/playwright';
import { AiSettingsPage, expect, serviceToken, test } from './fixtures';

// A service reports usage through the usage API; the Usage section on the
// AI page shows what it cost, and the chart, to admins and members alike.

test('reported usage shows as this month\'s spend, by feature and model, and in the chart', async ({
  page,
  settings,
  request,
}) => {
  const policy = await serviceToken(page, 'Usage reporter');
  const { workspace_id: workspace } = await policy(request);
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const report = (events: object[]) =>
    request.post(`/api/v1/workspaces/${workspace}/usage`, {
      headers: { authorization: `Bearer ${token}` },
      data: { events },
    });
  const events = [
    { id: 'e2e-1', at: now, feature: 'assistant', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0 },
    { id: 'e2e-2', at: now, feature: 'agents', model: 'in-house-model', input_tokens: 10, output_tokens: 5 },
  ];
  const first = await report(events);
  expect(first.status()).toBe(200);
  expect(await first.json()).toEqual({ new: 2, duplicates: 0 });
  expect(await (await report(events)).json()).toEqual({ new: 0, duplicates: 2 });

  await settings.goto();
  const usage = page.locator('#usage');
  await expect(usage.locator('.usage-total')).toContainText('2.50 USD (estimated) + 15 tokens unpriced');
  await expect(page.locator('#budget-understated')).toContainText('15 tokens this month');
  await expect(usage.getByRole('rowheader', { name: 'Reported by services' })).toBeVisible();
  await expect(usage.getByRole('rowheader', { name: 'agents' })).toBeVisible();
  await expect(usage.getByRole('rowheader', { name: 'in-house-model' })).toBeVisible();
  await expect(usage.getByRole('img', { name: 'Spend per day, last 30 days' })).toBeVisible();
  expect((await new AxeBuilder({ page }).include('#usage').analyze()).violations).toEqual([]);

  await settings.signOut();
  const member = new AiSettingsPage(page);
  await member.signIn('member');
  await expect(page.locator('#usage .usage-total')).toContainText('2.50 USD (estimated)');
});

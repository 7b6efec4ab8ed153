import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext } from '@playwright/test';
import { AiSettingsPage, expect, serviceToken, test } from './fixtures';

// The Budget section on a server of its own (its stop turns AI off), whose
// webhook is the fake provider: an admin sets a budget, a service reports
// usage, the banner warns, a spent budget turns AI off for services and a
// higher one brings it back. Members see it all read-only.

/** The fake provider, which also receives the budget webhook (its port is
 * the last one the config chose). */
function webhookReceiver() {
  const ports = (process.env.E2E_PORTS ?? '').split(',');
  return `http://127.0.0.1:${ports[ports.length - 1]}/webhook`;
}

test('a budget warns, turns AI off once spent, and a higher budget brings AI back', async ({
  page,
  settings,
  request,
}) => {
  const policy = await serviceToken(page, 'Budget reporter');
  const { workspace_id: workspace } = await policy(request);
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();
  let sent = 0;
  const spend = async (api: APIRequestContext, cost: number) => {
    sent += 1;
    const answer = await api.post(`/api/v1/workspaces/${workspace}/usage`, {
      headers: { authorization: `Bearer ${token}` },
      data: {
        events: [
          {
            id: `budget-${sent}`,
            at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            feature: 'assistant',
            model: 'gpt-4o',
            input_tokens: 100,
            output_tokens: 100,
            cost,
          },
        ],
      },
    });
    expect(answer.status()).toBe(200);
  };

  await settings.goto();
  const budget = page.locator('#budget');
  await expect(budget.locator('#budget-standing')).toHaveText(
    'No budget: spend is shown under Usage, never limited.',
  );
  expect((await new AxeBuilder({ page }).include('#budget').analyze()).violations).toEqual([]);

  // A mistyped amount is refused, and what was typed stays.
  await budget.getByLabel('Monthly budget (USD)').fill('ten');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget.getByRole('alert')).toContainText('The budget must be an amount such as 250 or 99.50');
  await expect(budget.getByLabel('Monthly budget (USD)')).toHaveValue('ten');

  await budget.getByLabel('Monthly budget (USD)').fill('10');
  await budget.getByLabel('Warn admins at (% of the budget)').fill('50');
  await budget.getByLabel('Turn AI off until next month or a higher budget').check();
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget.getByRole('status')).toHaveText('Budget saved. It applies to this month\'s spend from now on.');
  await expect(page.locator('#budget-banner')).toHaveCount(0);

  // Past the warning threshold: every settings page says so to admins.
  await spend(request, 6);
  await page.goto('/settings/members');
  await expect(page.locator('#budget-banner')).toContainText('This workspace has used 6.00 of 10.00 USD (60 %)');
  expect((await policy(request)).ai_enabled).toBe(true);

  // Past the whole budget: services are told AI is off, and why.
  await spend(request, 4.5);
  const stopped = await policy(request);
  expect(stopped.ai_enabled).toBe(false);
  expect(stopped.ai_off_reason).toBe('budget_exhausted');
  expect(stopped.ai_off_until).toBeGreaterThan(Date.now() / 1000);
  await settings.goto();
  await expect(page.locator('#ai-off-by-budget')).toBeVisible();
  await expect(page.locator('#budget-banner')).toContainText('AI is off for this workspace');
  await expect(budget.locator('#budget-stopped')).toContainText('or at once if an admin raises the budget');
  // The admins' own switch keeps its setting.
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
  expect((await new AxeBuilder({ page }).include('#budget').include('#budget-banner').analyze()).violations).toEqual(
    [],
  );

  // The operator's webhook heard of both lines, signed.
  await expect
    .poll(async () => {
      const received = await (await request.get(webhookReceiver())).json();
      return received.map((n: { event: string; signatureValid: boolean }) => `${n.event} ${n.signatureValid}`);
    })
    .toEqual(['budget.warning true', 'budget.exhausted true']);
  await settings.goto();
  await expect(budget.locator('#budget-webhook')).toContainText('budget.exhausted delivered');

  // A member sees the budget and why AI is off, and can change nothing.
  await settings.signOut();
  const member = new AiSettingsPage(page);
  await member.signIn('member');
  await expect(budget.locator('#budget-standing')).toContainText('10.50 of 10.00 USD spent (105 %)');
  await expect(budget.locator('#budget-stopped')).toBeVisible();
  await expect(budget.getByRole('button', { name: 'Save budget' })).toHaveCount(0);
  await expect(page.locator('#budget-banner')).toHaveCount(0);
  await member.signOut();

  // Raising the budget brings AI back at once.
  await settings.signIn('admin');
  await budget.getByLabel('Monthly budget (USD)').fill('100');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget.getByRole('status')).toHaveText('Budget saved. It applies to this month\'s spend from now on.');
  const restored = await policy(request);
  expect(restored.ai_enabled).toBe(true);
  expect(restored.ai_off_reason).toBeNull();
  await expect(page.locator('#budget-banner')).toHaveCount(0);
  await expect(page.locator('#ai-off-by-budget')).toHaveCount(0);
});

import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

// This project's server runs on the Enterprise plan, which never uses AI
// sessions for training.

test('the enterprise plan states that nothing is used for training, with no switch', async ({ page, settings }) => {
  await settings.gotoInteractive();
  await expect(page.getByText('Not used for training on your plan')).toBeVisible();
  await expect(settings.trainingSwitch).toHaveCount(0);
  await expect(page.getByRole('switch')).toHaveCount(1);
  await expect(page.getByText('Plan: Enterprise')).toBeVisible();
});

test('on the enterprise plan AI can still be turned off and on', async ({ page, settings }) => {
  await settings.gotoInteractive();
  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await page.reload();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByText('Not used for training on your plan')).toBeVisible();
  await settings.waitUntilInteractive();
  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
});

test('the enterprise page has no accessibility violations', async ({ page, settings }) => {
  await settings.gotoInteractive();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

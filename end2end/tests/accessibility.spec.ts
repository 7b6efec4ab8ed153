import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

test('the page has no accessibility violations, with AI on and with AI off', async ({ page, settings }) => {
  await settings.gotoInteractive();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await expect(settings.aiOffNotice).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
});

test('a failed save is announced in a live region next to its switch', async ({ page, settings, guard }) => {
  guard.allowFailuresOf(/\/api\/settings\/ai\/enabled$/);
  await settings.gotoInteractive();
  await page.route('**/api/settings/ai/enabled', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: '"Unavailable"' }),
  );
  await settings.aiSwitch.click();
  const status = settings.status('ai_enabled');
  await expect(status).toContainText('Not saved');
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

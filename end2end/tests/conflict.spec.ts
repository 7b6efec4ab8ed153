import { AiSettingsPage, test, expect } from './fixtures';

test('a save based on a stale page is refused and says who changed it', async ({ browser, page, settings, baseURL }) => {
  await settings.gotoInteractive();
  // A second tab of the same admin, opened before the first one saves.
  const context = await browser.newContext({ baseURL, storageState: await page.context().storageState() });
  const secondTab = new AiSettingsPage(await context.newPage());
  await secondTab.gotoInteractive();

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');

  await secondTab.aiSwitch.click();
  await expect(secondTab.status('ai_enabled')).toContainText(/Not saved: Ada Admin changed this setting at .* UTC — reload to see it/);
  await expect(secondTab.aiSwitch).toHaveAttribute('aria-checked', 'true');

  await secondTab.page.reload();
  await expect(secondTab.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(secondTab.page.locator('.activity-list li').first()).toContainText('AI features: On → Off');
  await context.close();

  // Back to where this project's other specs expect it.
  await page.reload();
  await settings.waitUntilInteractive();
  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
});

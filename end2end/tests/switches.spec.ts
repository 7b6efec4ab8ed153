import { test, expect } from './fixtures';

test('the page sits in the settings navigation with AI & agents selected', async ({ page, settings }) => {
  await settings.goto();
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav.getByRole('link', { name: 'AI & agents' })).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveTitle(/AI & agents/);
});

test('turning AI off says so plainly, and the choice survives a reload', async ({ page, settings }) => {
  await settings.gotoInteractive();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.aiOffNotice).toBeHidden();

  await settings.aiSwitch.click();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await expect(settings.aiOffNotice).toBeVisible();

  await page.reload();
  await settings.waitUntilInteractive();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.aiOffNotice).toBeVisible();

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await page.reload();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.aiOffNotice).toBeHidden();
});

test('training can be changed while AI is off, and changing it leaves AI off', async ({ page, settings }) => {
  await settings.gotoInteractive();
  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');

  await settings.trainingSwitch.click();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.status('training_allowed')).toHaveText('Saved.');

  await page.reload();
  await settings.waitUntilInteractive();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');

  // Opting back out of training does not touch AI either.
  await settings.trainingSwitch.click();
  await expect(settings.status('training_allowed')).toHaveText('Saved.');
  await page.reload();
  await settings.waitUntilInteractive();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
});

test('a save the server rejects puts the switch back, says why, and changes nothing', async ({ page, settings, guard }) => {
  guard.allowFailuresOf(/\/api\/settings\/ai\/enabled$/);
  await settings.gotoInteractive();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');

  await page.route('**/api/settings/ai/enabled', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: '"Unavailable"' }),
  );
  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toContainText(
    'Not saved: the server could not save it; nothing was changed',
  );
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.aiOffNotice).toBeHidden();

  await page.unroute('**/api/settings/ai/enabled');
  await page.reload();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
});

test('a save that never reaches the server says so and puts the switch back', async ({ page, settings, guard }) => {
  guard.allowFailuresOf(/\/api\/settings\/ai\/training$/);
  await settings.gotoInteractive();
  await page.route('**/api/settings/ai/training', (route) => route.abort('internetdisconnected'));

  await settings.trainingSwitch.click();
  await expect(settings.status('training_allowed')).toContainText('Not saved: the server could not be reached');
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');
});

test('the switches work from the keyboard with a visible focus ring', async ({ page, settings }) => {
  await settings.gotoInteractive();
  await settings.aiSwitch.focus();
  await page.keyboard.press('Tab');
  await expect(settings.trainingSwitch).toBeFocused();
  // The console's own focus ring, not the browser default.
  await expect(settings.trainingSwitch).toHaveCSS('outline-style', 'solid');
  await expect(settings.trainingSwitch).toHaveCSS('outline-width', '3px');

  await page.keyboard.press('Space');
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.status('training_allowed')).toHaveText('Saved.');
  await page.keyboard.press('Enter');
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.status('training_allowed')).toHaveText('Saved.');
});

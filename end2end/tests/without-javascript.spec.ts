import { test, expect } from './fixtures';

// This project runs with JavaScript disabled: the switches are plain forms
// that post to the same server functions and come back to the page.

test('without JavaScript, turning AI off posts, comes back saved, and persists', async ({ page, settings }) => {
  await settings.goto();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');

  await settings.aiSwitch.click();
  await expect(page).toHaveURL(/\/settings\/ai\?saved=ai_enabled/);
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  await expect(settings.aiOffNotice).toBeVisible();

  await settings.goto();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.status('ai_enabled')).toHaveText('');
});

test('without JavaScript, training can be changed while AI is off', async ({ page, settings }) => {
  await settings.goto();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');
  await settings.trainingSwitch.click();
  await expect(page).toHaveURL(/saved=training_allowed/);
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'false');

  await settings.goto();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'true');

  // Back to the defaults, still without JavaScript.
  await settings.trainingSwitch.click();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');
  await settings.aiSwitch.click();
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
  await settings.goto();
  await expect(settings.trainingSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(settings.aiSwitch).toHaveAttribute('aria-checked', 'true');
});

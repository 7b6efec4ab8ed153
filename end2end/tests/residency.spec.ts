import { expect, ModelProviderSection, test } from './fixtures';
import { GOOD_KEYS } from './keys';

// This project's server is an Enterprise workspace in the EU.

test('an EU workspace is served from the EU endpoint and warned before an Anthropic key takes requests out', async ({
  page,
  settings,
}) => {
  await settings.goto();
  const provider = new ModelProviderSection(page);
  await expect(provider.section.getByText('In the EU', { exact: true })).toBeVisible();
  await expect(provider.section.locator('code', { hasText: '/openai-eu/v1' })).toBeVisible();

  await provider.openKeyForm();
  const anthropicNote = provider.section.locator('#provider-anthropic-note');
  await expect(anthropicNote).toHaveText('Requests leave the EU: Anthropic processes them in the United States');
  await expect(provider.section.locator('#provider-openai-note')).toContainText('Processed in the EU');

  await provider.addKey('Anthropic', GOOD_KEYS[1]);
  await expect(provider.section.getByRole('status')).toContainText('Key verified and saved.');
  await expect(
    provider.section.getByText('Outside the EU: requests leave it and are processed in the United States'),
  ).toBeVisible();
  // The Privacy page says where requests go now.
  await page.goto('/privacy');
  const processing = page.getByRole('region', { name: 'Where data is processed' });
  await expect(processing).toContainText("This workspace's data is kept in the EU.");
  await expect(processing).toContainText(
    "Anthropic, with the workspace's own key, processed in the United States. This takes AI requests out of the EU",
  );
  await settings.goto();
  // Back to the EU endpoint, for a clean server.
  await provider.removeKey();
  await expect(provider.section.getByText('In the EU', { exact: true })).toBeVisible();
  await page.goto('/privacy');
  await expect(processing).toContainText('OpenAI, the provider this console manages, processed in the EU.');
  await expect(processing).not.toContainText('out of the EU');
});

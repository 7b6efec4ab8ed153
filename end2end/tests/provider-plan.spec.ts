import { expect, ModelProviderSection, test } from './fixtures';

// This project's server is on the Team plan: workspace keys are an
// Enterprise feature.

test('on the team plan the managed provider serves, with an upgrade note and no key form', async ({
  page,
  settings,
}) => {
  await settings.goto();
  const provider = new ModelProviderSection(page);
  await expect(provider.section.getByText('Managed provider · no key needed')).toBeVisible();
  await expect(provider.section.getByText(/part of the Enterprise plan/)).toBeVisible();
  await expect(provider.section.getByText('Add an API key')).toHaveCount(0);
  await expect(provider.section.getByLabel('API key')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'What model partners receive' })).toBeVisible();
});

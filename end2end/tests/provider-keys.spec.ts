import AxeBuilder from '@axe-core/playwright';
import type { Response } from '@playwright/test';
import { expect, ModelProviderSection, test } from './fixtures';
import { ALL_KEYS, GOOD_KEYS, REFUSED_KEY } from './keys';

// This project's server is on the Enterprise plan in the US, and its
// providers' base URLs point at the fake provider on loopback.

test('an admin adds, refuses, replaces and removes a workspace key; no answer ever contains a key', async ({
  page,
  settings,
}) => {
  const bodies: Promise<string>[] = [];
  page.on('response', (response: Response) => {
    bodies.push(response.text().catch(() => ''));
  });
  await settings.goto();
  const provider = new ModelProviderSection(page);
  await expect(provider.section.getByText('Managed provider · no key needed')).toBeVisible();
  // No key, no bill: the warning waits inside the closed key form.
  await expect(provider.section.getByText('Your provider bills you for this usage.')).toBeHidden();

  await provider.openKeyForm();
  // The billing warning is in front of the admin before they save.
  await expect(provider.section.getByText('Your provider bills you for this usage.')).toBeVisible();
  expect((await new AxeBuilder({ page }).include('#model_provider').analyze()).violations).toEqual([]);

  await provider.addKey('OpenAI', GOOD_KEYS[0]);
  await expect(provider.section.getByRole('status')).toHaveText('Key verified and saved. AI requests now use it.');
  await expect(provider.section.getByText('OpenAI · workspace key')).toBeVisible();
  await expect(provider.section.getByText('…1111', { exact: true })).toBeVisible();
  // Now also beside the key itself, not only in the key form.
  await expect(provider.section.getByText('Your provider bills you for this usage.').last()).toBeVisible();

  await provider.addKey('OpenAI', REFUSED_KEY);
  await expect(provider.section.getByRole('alert')).toContainText('The provider refused this key');
  await expect(provider.section.getByText('…1111', { exact: true })).toBeVisible();
  await expect(provider.section.getByText('…9999', { exact: true })).toHaveCount(0);

  await provider.addKey('OpenAI', GOOD_KEYS[1]);
  await expect(provider.section.getByRole('status')).toContainText('New key verified and saved.');
  await expect(provider.section.getByText('…2222', { exact: true })).toBeVisible();
  await expect(provider.section.getByText(/The previous key …1111 keeps working until/)).toBeVisible();

  await provider.removeKey();
  await expect(provider.section.getByRole('status')).toContainText('Key removed and deleted.');
  await expect(provider.section.getByText('Managed provider · no key needed')).toBeVisible();
  await expect(provider.section.getByText('…2222', { exact: true })).toHaveCount(0);

  // The Activity panel names keys by their last four characters only.
  await expect(page.getByText('OpenAI key added …1111').first()).toBeVisible();

  const received = await Promise.all(bodies);
  expect(received.length).toBeGreaterThan(5);
  for (const key of ALL_KEYS) {
    expect(received.filter((body) => body.includes(key)), `responses containing ${key}`).toEqual([]);
  }
});

test('an unreachable OpenAI-compatible endpoint is reported and nothing is saved', async ({ page, settings }) => {
  await settings.goto();
  const provider = new ModelProviderSection(page);
  await provider.openKeyForm();
  await provider.section.getByLabel('Base URL, for an OpenAI-compatible endpoint only').fill('http://127.0.0.1:9/v1');
  await provider.addKey('OpenAI-compatible endpoint', GOOD_KEYS[0]);
  await expect(provider.section.getByRole('alert')).toContainText('could not be reached');
  await expect(provider.section.getByText('Managed provider · no key needed')).toBeVisible();
});

test('a member sees the provider but no key controls', async ({ page, settings }) => {
  await settings.signOut();
  await settings.signIn('member');
  const provider = new ModelProviderSection(page);
  await expect(provider.section.getByRole('heading', { name: 'Model provider' })).toBeVisible();
  await expect(provider.section.getByText('Add an API key')).toHaveCount(0);
  await expect(provider.section.getByText('Remove key…')).toHaveCount(0);
});

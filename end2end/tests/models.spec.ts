import AxeBuilder from '@axe-core/playwright';
import { expect, ModelProviderSection, serviceToken, test } from './fixtures';
import { GOOD_KEYS } from './keys';

// The Models section on the Enterprise server, whose workspace key is
// verified against the loopback fake provider: its list for the first
// good key is gpt-4o, gpt-4o-mini and o3-mini.

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test(`an admin allows two of the provider's models and a default, and services see them (${javaScriptEnabled ? 'JS' : 'no JS'})`, async ({
      page,
      settings,
      request,
    }) => {
      const policy = await serviceToken(page, `Model router ${javaScriptEnabled ? 'js' : 'no-js'}`);
      const models = async (request: Parameters<typeof policy>[0]) => (await policy(request)).models;
      await settings.goto();
      const provider = new ModelProviderSection(page);
      if (javaScriptEnabled) {
        await provider.addKey('OpenAI', GOOD_KEYS[0]);
      } else {
        // Without JavaScript the key form is a <details> that opens itself.
        await provider.section.locator('details.key-form summary').click();
        await provider.section.getByLabel('OpenAI', { exact: true }).check();
        await provider.section.getByLabel('API key').fill(GOOD_KEYS[0]);
        await provider.section.getByRole('button', { name: 'Verify and save key' }).click();
      }
      await expect(provider.section.getByRole('status')).toHaveText('Key verified and saved. AI requests now use it.');

      const section = page.locator('#models');
      for (const model of ['gpt-4o', 'gpt-4o-mini', 'o3-mini']) {
        await expect(section.getByLabel(model, { exact: true })).toBeVisible();
      }
      // axe-core runs in the page, so only where JavaScript does.
      if (javaScriptEnabled) {
        expect((await new AxeBuilder({ page }).include('#models').analyze()).violations).toEqual([]);
      }

      // A default outside the ticked models is refused with the reason.
      await section.getByLabel('Only the models ticked below').check();
      await section.getByLabel('gpt-4o', { exact: true }).check();
      await section.getByLabel('Default model').selectOption('o3-mini');
      await section.getByRole('button', { name: 'Save models' }).click();
      await expect(section.getByRole('alert')).toContainText('default model that is one of the allowed models');
      expect((await models(request)).all_allowed).toBe(true);

      await section.getByLabel('Only the models ticked below').check();
      await section.getByLabel('gpt-4o', { exact: true }).check();
      await section.getByLabel('o3-mini', { exact: true }).check();
      await section.getByLabel('Default model').selectOption('o3-mini');
      await section.getByRole('button', { name: 'Save models' }).click();
      await expect(section.getByRole('status')).toHaveText('Saved. Services follow it from their next request.');
      expect(await models(request)).toEqual({ all_allowed: false, allowed: ['gpt-4o', 'o3-mini'], default: 'o3-mini' });

      await settings.goto();
      await expect(section.getByLabel('o3-mini', { exact: true })).toBeChecked();
      await expect(section.getByLabel('gpt-4o-mini', { exact: true })).not.toBeChecked();
      await expect(section.getByLabel('Default model')).toHaveValue('o3-mini');

      // Back to every model, no default, and the managed provider.
      await section.getByLabel('Every model the provider offers').check();
      await section.getByLabel('Default model').selectOption('');
      await section.getByRole('button', { name: 'Save models' }).click();
      await expect(section.getByRole('status')).toHaveText('Saved. Services follow it from their next request.');
      expect((await models(request)).all_allowed).toBe(true);
      await provider.section.getByText('Remove key…').click();
      await provider.section.getByRole('button', { name: 'Remove key and use the managed provider' }).click();
      await expect(provider.section.getByText('Managed provider · no key needed')).toBeVisible();
    });
  });
}

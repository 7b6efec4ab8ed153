import AxeBuilder from '@axe-core/playwright';
import { AiSettingsPage, chooseFeature as choose, expect, serviceToken, test } from './fixtures';

// The Features section on the team server, with JavaScript and without:
// plain forms either way, each choice read back by a service through the
// policy API.

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test(`an admin decides who may use agents and what they may do, and services follow (${javaScriptEnabled ? 'JS' : 'no JS'})`, async ({
      page,
      settings,
      request,
    }) => {
      const policy = await serviceToken(page, `Agents runner ${javaScriptEnabled ? 'js' : 'no-js'}`);
      await settings.goto();
      const agents = page.locator('#feature-agents');
      await expect(agents.getByLabel('Admins only', { exact: true })).toBeChecked();
      // axe-core runs in the page, so only where JavaScript does.
      if (javaScriptEnabled) {
        expect((await new AxeBuilder({ page }).include('#features').analyze()).violations).toEqual([]);
      }

      await choose(page, 'Agents', 'Everyone');
      await choose(page, 'What agents may do', 'Apply changes themselves');
      expect((await policy(request)).features.agents).toEqual({
        enabled: true,
        audience: 'everyone',
        may_apply_changes: true,
      });
      expect(await policy(request, '?feature=agents&role=member')).toMatchObject({ allowed: true });

      await choose(page, 'Agents', 'Admins only');
      await choose(page, 'What agents may do', 'Propose changes for a person to apply');
      await settings.goto();
      await expect(agents.getByLabel('Admins only', { exact: true })).toBeChecked();
      await expect(agents.getByLabel('Propose changes for a person to apply')).toBeChecked();
      expect(await policy(request, '?feature=agents&role=member')).toMatchObject({
        allowed: false,
        code: 'admins-only',
        may_apply_changes: false,
      });
      expect((await policy(request)).features.agents).toEqual({
        enabled: true,
        audience: 'admins',
        may_apply_changes: false,
      });
    });
  });
}

test('a member sees who may use each feature but cannot change it', async ({ page }) => {
  const settings = new AiSettingsPage(page);
  await settings.signIn('member');
  const features = page.locator('#features');
  await expect(features.getByRole('heading', { name: 'Features' })).toBeVisible();
  for (const legend of ['AI assistant', 'Agents', 'Semantic search', 'What agents may do']) {
    const form = features.locator('form', { has: page.locator('legend', { hasText: new RegExp(`^${legend}$`) }) });
    for (const option of await form.getByRole('radio').all()) {
      await expect(option).toBeDisabled();
    }
  }
  await expect(features.getByRole('button', { name: 'Save' })).toHaveCount(0);
  expect((await new AxeBuilder({ page }).include('#features').analyze()).violations).toEqual([]);
});

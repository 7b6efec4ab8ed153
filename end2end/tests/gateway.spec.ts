import OpenAI from 'openai';
import { expect, test } from './fixtures';

// A service calling models through the console with OpenAI's own SDK: the
// token made on the API access page is its API key, every setting of the
// page applies to its next call, and the Usage section counts what the
// gateway measured.

test('an SDK calls models through the gateway until an admin switches AI off', async ({
  page,
  settings,
  baseURL,
}) => {
  await page.goto('/settings/api');
  await expect(page.getByRole('heading', { name: 'Calling models through the gateway' })).toBeVisible();
  await page.getByLabel('Name of the service that will use it').fill('Assistant backend');
  await page.getByLabel('May call models through the gateway').check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('status')).toHaveText('Service token created.');
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();

  const client = new OpenAI({
    baseURL: `${baseURL}/gateway/openai/v1`,
    apiKey: token,
    defaultHeaders: { 'X-AI-Feature': 'assistant' },
    maxRetries: 0,
  });
  const messages = [{ role: 'user' as const, content: 'What is the capital of Peru?' }];
  const answer = await client.chat.completions.create({ model: 'gpt-4o', messages });
  expect(answer.choices[0].message.content).toBe('Lima.');
  expect(answer.model).toBe('gpt-4o-2024-08-06');

  const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
  let streamed = '';
  for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
  expect(streamed).toBe('Lima.');

  const models = await client.models.list();
  expect(models.data.map((model) => model.id)).toContain('gpt-4o');

  // Both calls, as the gateway measured them (written within a second).
  await expect(async () => {
    await settings.goto();
    await expect(page.locator('.usage-total')).toContainText('36 tokens (22 in · 14 out) in 2 event(s)', {
      timeout: 500,
    });
  }).toPass({ timeout: 10_000 });
  await expect(page.locator('#usage')).toContainText('gpt-4o-2024-08-06');

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  const refused = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((error) => error);
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect(refused.status).toBe(403);
  expect(refused.code).toBe('ai_switched_off');
  expect(refused.message).toContain('AI is switched off for this workspace by its admins');

  await settings.aiSwitch.click();
  await expect(settings.status('ai_enabled')).toHaveText('Saved.');
  const again = await client.chat.completions.create({ model: 'gpt-4o', messages });
  expect(again.choices[0].message.content).toBe('Lima.');
});

test('a token without the gateway right is refused with a message that says which right it needs', async ({
  page,
  settings,
  baseURL,
}) => {
  void settings;
  await page.goto('/settings/api');
  await page.getByLabel('Name of the service that will use it').fill('Policy reader');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();
  const client = new OpenAI({ baseURL: `${baseURL}/gateway/openai/v1`, apiKey: token, maxRetries: 0 });
  const refused = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })
    .catch((error) => error);
  expect(refused.status).toBe(403);
  expect(refused.code).toBe('token_not_allowed');
  expect(refused.message).toContain('May call models through the gateway');
});

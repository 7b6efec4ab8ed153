import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { chooseFeature, expect, gatewayToken, test } from './fixtures';
import { people } from './people';

// A service calling models through the console with OpenAI's own SDK: the
// token made on the API access page is its API key, every setting of the
// page applies to its next call, and the Usage section counts what the
// gateway measured.

test('an SDK calls models through the gateway until an admin switches AI off', async ({
  page,
  settings,
  baseURL,
}) => {
  const token = await gatewayToken(page, 'Assistant backend');
  await expect(page.getByRole('heading', { name: 'Calling models through the gateway' })).toBeVisible();

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

test("Anthropic's SDK calls models through the gateway, streamed and not, and reads its refusals", async ({
  page,
  settings,
  baseURL,
}) => {
  void settings;
  const token = await gatewayToken(page, 'Claude backend');
  const client = new Anthropic({
    baseURL: `${baseURL}/gateway/anthropic`,
    apiKey: token,
    defaultHeaders: { 'X-AI-Feature': 'assistant' },
    maxRetries: 0,
  });
  const messages = [{ role: 'user' as const, content: 'What is the capital of Peru?' }];
  const answer = await client.messages.create({ model: 'claude-sonnet-4', max_tokens: 100, messages });
  expect(answer.content[0]).toMatchObject({ type: 'text', text: 'Lima.' });
  expect(answer.model).toBe('claude-sonnet-4-20250514');
  expect(answer.usage.output_tokens).toBe(7);

  const stream = client.messages.stream({ model: 'claude-sonnet-4', max_tokens: 100, messages });
  let streamed = '';
  stream.on('text', (text) => (streamed += text));
  const final = await stream.finalMessage();
  expect(streamed).toBe('Lima.');
  expect(final.usage.output_tokens).toBe(7);
  expect(final.stop_reason).toBe('end_turn');

  const wrong = new Anthropic({ baseURL: `${baseURL}/gateway/anthropic`, apiKey: 'aic_not_a_token', maxRetries: 0 });
  const refused = await wrong.messages.create({ model: 'claude-sonnet-4', max_tokens: 100, messages }).catch((error) => error);
  expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
  expect(refused.status).toBe(401);
});

test('a feature open to admins only is refused for a member and served for an admin, as the page says', async ({
  page,
  settings,
  baseURL,
}) => {
  const token = await gatewayToken(page, 'Agents backend');
  const client = new OpenAI({
    baseURL: `${baseURL}/gateway/openai/v1`,
    apiKey: token,
    defaultHeaders: { 'X-AI-Feature': 'agents' },
    maxRetries: 0,
  });
  const ask = (person: string) =>
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Plan my week' }], user: person });

  await settings.goto();
  await expect(page.locator('#feature-agents').getByLabel('Admins only', { exact: true })).toBeChecked();
  const refused = await ask(people.member.email).catch((error) => error);
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect(refused.status).toBe(403);
  expect(refused.code).toBe('feature_admins_only');
  expect(refused.message).toContain('Agents is open to admins only');
  expect((await ask(people.admin.email)).choices[0].message.content).toBe('Lima.');

  await chooseFeature(page, 'Agents', 'Everyone');
  expect((await ask(people.member.email)).choices[0].message.content).toBe('Lima.');
  await chooseFeature(page, 'Agents', 'Admins only');
  expect((await ask(people.member.email).catch((error) => error)).code).toBe('feature_admins_only');
});

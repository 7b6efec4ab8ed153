import { test as base, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { PASSWORD, people, type Person } from './people';

/**
 * Fails the test on anything the browser reports as wrong: console errors
 * and warnings (Leptos reports hydration problems there), uncaught
 * exceptions, failed requests and HTTP error responses. A test that causes
 * a failure on purpose names the URL it expects to fail.
 */
export class BrowserGuard {
  private readonly problems: string[] = [];
  private readonly allowed: RegExp[] = [];

  constructor(page: Page, javaScriptEnabled: boolean) {
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      this.report(`console ${message.type()}: ${message.text()}`, message.location().url);
    });
    page.on('pageerror', (error) => this.report(`uncaught: ${error.message}`, ''));
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? '';
      // With JavaScript off the browser itself refuses to fetch scripts.
      if (!javaScriptEnabled && reason === 'csp' && request.resourceType() === 'script') return;
      // A favicon fetch cut short because a form post navigated away.
      if (reason === 'net::ERR_ABORTED' && request.resourceType() === 'other') return;
      this.report(`request failed: ${request.url()} ${reason}`, request.url());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) {
        this.report(`HTTP ${response.status()}: ${response.url()}`, response.url());
      }
    });
  }

  /** Accepts failures of requests whose URL matches `url` in this test. */
  allowFailuresOf(url: RegExp) {
    this.allowed.push(url);
  }

  private report(problem: string, url: string) {
    if (!this.allowed.some((pattern) => pattern.test(url))) this.problems.push(problem);
  }

  assertClean() {
    expect(this.problems, 'the browser reported problems').toEqual([]);
  }
}

/** The "AI & agents" settings page, located the way a person finds things. */
export class AiSettingsPage {
  readonly heading: Locator;
  readonly aiSwitch: Locator;
  readonly trainingSwitch: Locator;
  readonly aiOffNotice: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'AI & agents' });
    this.aiSwitch = page.getByRole('switch', { name: 'Allow AI features in this workspace' });
    this.trainingSwitch = page.getByRole('switch', {
      name: "Use this workspace's AI sessions to improve AI features",
    });
    this.aiOffNotice = page.getByText('AI features are turned off for every member of this workspace.');
  }

  status(setting: 'ai_enabled' | 'training_allowed'): Locator {
    return this.page.locator(`#${setting}`).getByRole('status');
  }

  /** Signs in through the real form, as `person`, and lands on the page. */
  async signIn(person: Person) {
    await this.page.goto('/login?next=/settings/ai');
    await this.page.getByLabel('E-mail address').fill(people[person].email);
    await this.page.getByLabel('Password').fill(PASSWORD);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.heading).toBeVisible();
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page.getByText('You are signed out.')).toBeVisible();
  }

  async goto() {
    await this.page.goto('/settings/ai');
    await expect(this.heading).toBeVisible();
  }

  /** Waits until the switches run in the browser (not only as forms). */
  async waitUntilInteractive() {
    await expect(this.page.locator('[data-interactive="true"]').first()).toBeAttached();
    const total = await this.page.locator('[data-interactive]').count();
    await expect(this.page.locator('[data-interactive="true"]')).toHaveCount(total);
  }

  async gotoInteractive() {
    await this.goto();
    await this.waitUntilInteractive();
  }
}

/** Playwright's `test` with the browser guard on every page. */
export const guardedTest = base.extend<{ guard: BrowserGuard }>({
  guard: [
    async ({ page, javaScriptEnabled }, use) => {
      const guard = new BrowserGuard(page, javaScriptEnabled);
      await use(guard);
      guard.assertClean();
    },
    { auto: true },
  ],
});

/** `settings` starts signed in as the workspace's admin. */
export const test = guardedTest.extend<{ settings: AiSettingsPage }>({
  settings: async ({ page }, use) => {
    const settings = new AiSettingsPage(page);
    await settings.signIn('admin');
    await use(settings);
  },
});

export { expect };

/** The Model provider setting on the AI page. */
export class ModelProviderSection {
  readonly section: Locator;

  constructor(readonly page: Page) {
    this.section = page.locator('#model_provider');
  }

  /** Opens the key form ("Add an API key" or "Replace key") if it is closed. */
  async openKeyForm() {
    const form = this.section.locator('details.key-form');
    if ((await form.getAttribute('open')) === null) {
      await form.locator('summary').click();
    }
  }

  async addKey(provider: 'OpenAI' | 'Anthropic' | 'OpenAI-compatible endpoint', key: string) {
    await this.openKeyForm();
    await this.section.getByLabel(provider, { exact: true }).check();
    await this.section.getByLabel('API key').fill(key);
    await this.section.getByRole('button', { name: 'Verify and save key' }).click();
  }

  async removeKey() {
    await this.section.getByText('Remove key…').click();
    await this.section.getByRole('button', { name: 'Remove key and use the managed provider' }).click();
  }
}

/**
 * Creates a service token on the API access page, as an admin does, and
 * returns a way to read the policy with it (`query` appended to its path).
 */
export async function serviceToken(page: Page, name: string) {
  await page.goto('/settings/api');
  await page.getByLabel('Name of the service that will use it').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByRole('textbox', { name: 'Service token' }).inputValue();
  const path = await page.locator('#policy-title + p code').first().innerText();
  return async (request: APIRequestContext, query = '') => {
    const answer = await request.get(`${path}${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status()).toBe(200);
    return answer.json();
  };
}

/** Chooses `option` for the Features choice whose group is `legend`, and saves it. */
export async function chooseFeature(page: Page, legend: string, option: string) {
  const form = page.locator('form', { has: page.locator('legend', { hasText: new RegExp(`^${legend}$`) }) });
  await form.getByLabel(option, { exact: true }).check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#features').getByRole('status')).toHaveText(
    'Saved. Services follow it from their next request.',
  );
}

/** Creates a token with the right to call models through the gateway. */
export async function gatewayToken(page: Page, name: string) {
  await page.goto('/settings/api');
  await page.getByLabel('Name of the service that will use it').fill(name);
  await page.getByLabel('May call models through the gateway').check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('status')).toHaveText('Service token created.');
  return page.getByRole('textbox', { name: 'Service token' }).inputValue();
}

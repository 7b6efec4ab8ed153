import { AiSettingsPage, BrowserGuard, test, expect } from './fixtures';

// The whole page, as a browser downloads it on a first visit: every
// script, wasm and style sheet, counted compressed as served. The budget
// is 100 KB.
const BUDGET_BYTES = 100 * 1024;

test('the page ships at most 100 KB of JS, WASM and CSS, compressed', async ({ browser, page, settings, baseURL }) => {
  // Signing in already cached the files; a new context with only the
  // session cookie starts with an empty cache.
  await expect(settings.heading).toBeVisible();
  const context = await browser.newContext({ baseURL, storageState: await page.context().storageState() });
  const firstVisit = await context.newPage();
  const guard = new BrowserGuard(firstVisit, true);

  const assets: { url: string; bytes: Promise<number> }[] = [];
  firstVisit.on('requestfinished', (request) => {
    const type = request.resourceType();
    const url = request.url();
    if (url.includes('/api/')) return;
    if (type === 'script' || type === 'stylesheet' || url.endsWith('.wasm') || type === 'fetch') {
      assets.push({ url, bytes: request.sizes().then((sizes) => sizes.responseBodySize) });
    }
  });
  await new AiSettingsPage(firstVisit).gotoInteractive();

  const sizes = await Promise.all(assets.map(async (asset) => ({ url: asset.url, bytes: await asset.bytes })));
  const total = sizes.reduce((sum, asset) => sum + asset.bytes, 0);
  for (const asset of sizes) console.log(`${String(asset.bytes).padStart(8)} B  ${asset.url}`);
  console.log(`${String(total).padStart(8)} B  total (budget ${BUDGET_BYTES} B)`);

  for (const asset of sizes) expect(asset.bytes, asset.url).toBeGreaterThan(0);
  expect(sizes.some((asset) => asset.url.endsWith('.wasm'))).toBe(true);
  expect(sizes.some((asset) => asset.url.endsWith('.css'))).toBe(true);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  guard.assertClean();
  await context.close();
});

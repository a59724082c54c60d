// Opens the documentation site (served on localhost) in headless Debian chromium: the home page, a module's notebook
// page, its API page and the tutorial, then the search page. Checks that no page logs a console error or fails a
// request, that figures, tables and players rendered, that names link to their API entries and that search finds
// TwoViewAugment. Prints "DOCS-E2E: N passed, M failed"; saves a screenshot of each page.
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
const results = [];
const check = (ok, what) => { results.push(ok); console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); };
const problems = [];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
// the browser asks every site for /favicon.ico by itself (the pages link none): that request is not the site's
const own = (url) => !url.endsWith('/favicon.ico');
page.on('console', (m) => {
  if (m.type() === 'error' && own(m.location().url || '')) problems.push(`console error on ${page.url()}: ${m.text()} (${m.location().url})`);
});
page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
page.on('response', (r) => { if (r.url().startsWith(base) && own(r.url()) && r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });

async function visit(path, shot) {
  const r = await page.goto(`${base}/${path}`, { waitUntil: 'load' });
  check(r && r.ok(), `${path} loads (${r && r.status()})`);
  await page.screenshot({ path: `${out}/docs-${shot}.png`, fullPage: false });
}
// images that finished loading with real pixels, and tables with rows, inside the page's article
const images = () => page.locator('article img').evaluateAll((els) => els.filter((e) => e.complete && e.naturalWidth > 0).length);
const tables = () => page.locator('article table tr').count();

try {
  await visit('index.html', 'home');
  check((await page.title()).includes('mtslvr'), 'the home page is titled mtslvr');
  check(await tables() > 10, `the home page's tour table rendered (${await tables()} rows)`);
  check(await page.locator('.sidebar-tree a', { hasText: 'Learning on real audio' }).count() > 0, 'the navigation lists the tutorial');

  await visit('07_augmentations.html', 'notebook');
  check(await images() >= 5, `the augmentations notebook's figures rendered (${await images()} images)`);
  check(await page.locator('article audio').count() > 0, 'the augmentations notebook shows audio players');
  const link = page.locator('article a.api-link', { hasText: 'TwoViewAugment' }).first();
  check(await link.count() > 0, 'inline `TwoViewAugment` links to its API entry');
  await link.click();
  await page.waitForLoadState('load');
  check(page.url().includes('api/augment.html#mtslvr.augment.TwoViewAugment'), `the link lands on the API entry (${page.url()})`);
  await page.screenshot({ path: `${out}/docs-api.png`, fullPage: false });
  const entry = page.locator('dt[id="mtslvr.augment.TwoViewAugment"]');
  check(await entry.count() === 1, 'the API page has the TwoViewAugment entry');
  check(await page.locator('dl.field-list dt', { hasText: 'Parameters' }).count() > 5, 'API entries list their parameters (docments)');

  await visit('tutorials/real_audio.html', 'tutorial');
  check(await images() >= 2, `the tutorial's figures rendered (${await images()} images)`);
  check(await tables() > 5, `the tutorial's tables rendered (${await tables()} rows)`);

  await visit('search.html?q=TwoViewAugment', 'search');
  const hit = page.locator('#search-results a', { hasText: 'TwoViewAugment' }).first();
  check(await hit.waitFor({ timeout: 30000 }).then(() => true, () => false), 'search finds TwoViewAugment');
  await page.screenshot({ path: `${out}/docs-search.png`, fullPage: false });
} catch (e) {
  check(false, `the walk through the site stopped: ${e.message}`);
} finally {
  for (const p of problems) console.log(p);
  check(problems.length === 0, `no console errors or failed requests (${problems.length})`);
  await browser.close();
}
const failed = results.filter((r) => !r).length;
console.log(`DOCS-E2E: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

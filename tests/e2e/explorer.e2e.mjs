// Opens nbs/27_explorer.ipynb in JupyterLab, runs all cells, moves one slider with the keyboard and one with the
// mouse, and checks that the kernel updated the displayed parameters and the figure. Saves screenshots.
import { chromium } from 'playwright-core';

const [base, token, out] = process.argv.slice(2);
const results = [];
const check = (ok, what) => { results.push(ok); console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, timeout = 30000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) { if (await fn()) return true; await sleep(250); }
  return false;
}
const readout = async (slider) => (await slider.locator('.widget-readout').first().innerText()).trim();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
try {
  await page.goto(`${base}/lab/tree/27_explorer.ipynb?token=${token}`);
  await page.waitForSelector('.jp-NotebookPanel .jp-Cell', { timeout: 60000 });
  await page.locator('.jp-StatusBar-TextItem', { hasText: /\|\s*Idle/ }).first().waitFor({ timeout: 90000 });
  await page.locator('.lm-MenuBar-itemLabel', { hasText: 'Run' }).first().click();
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Run All Cells' }).first().click();
  const params = page.locator('.jp-OutputArea-output .mtslvr-params').first();
  await params.waitFor({ timeout: 180000 });
  const busy = async () => (await page.locator('.jp-Cell .jp-InputPrompt', { hasText: '*' }).count()) > 0;
  const idle = async () => !(await busy()) && (await page.locator('.jp-StatusBar-TextItem', { hasText: /\|\s*Idle/ }).count()) > 0;
  // the kernel has handled every queued widget message: idle, and still idle a second later
  const settled = async () => { await sleep(1000); return until(async () => (await idle()) && (await sleep(1000), await idle()), 120000); };
  check(await until(async () => !(await busy()), 240000), 'all cells ran');
  const errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  for (const t of await errors.allInnerTexts()) console.log('stderr output:', t.slice(0, 300));
  check((await errors.count()) === 0, 'no cell raised an error or wrote to stderr');
  const image = page.locator('.jp-OutputArea-output .widget-image').first();
  await params.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/explorer-before.png`, fullPage: false });
  const text0 = await params.innerText();
  const img0 = await image.getAttribute('src');
  console.log('before:', text0.replace(/\s+/g, ' '));

  // keyboard: the pitch-shift ratio slider
  const ratio = page.locator('.jp-OutputArea-output .widget-slider', { hasText: 'ratio' }).first();
  await ratio.scrollIntoViewIfNeeded();
  const ratio0 = await readout(ratio);
  const handle = ratio.locator('.noUi-handle').first();
  await handle.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  check(await settled(), 'the kernel went idle after the key presses');
  const ratio1 = await readout(ratio);
  const text1 = await params.innerText();
  console.log(`ratio slider ${ratio0} -> ${ratio1}; after keys:`, text1.replace(/\s+/g, ' '));
  check(ratio1 !== ratio0 && text1.includes(`'ratio': '${ratio1}'`), `the displayed pitch-shift ratio is the slider's new value (${ratio1})`);
  check(await until(async () => (await image.getAttribute('src')) !== img0), 'keys on the ratio slider redrew the figure');
  const img1 = await image.getAttribute('src');

  // mouse: drag the time-masking start slider
  const start = page.locator('.jp-OutputArea-output .widget-slider', { hasText: 'start' }).first();
  await start.scrollIntoViewIfNeeded();
  const start0 = await readout(start);
  const track = await start.locator('.noUi-target').first().boundingBox();
  const knob = await start.locator('.noUi-handle').first().boundingBox();
  await page.mouse.move(knob.x + knob.width / 2, knob.y + knob.height / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + track.width * 0.9, track.y + track.height / 2, { steps: 10 });
  await page.mouse.up();
  check(await settled(), 'the kernel went idle after the drag');
  const start1 = await readout(start);
  const text2 = await params.innerText();
  console.log(`masking start slider ${start0} -> ${start1}; after drag:`, text2.replace(/\s+/g, ' '));
  check(start1 !== start0 && text2.includes(`'start': ${start1.replace(/[^0-9-]/g, '')}`),
        `the displayed time-masking start is the slider's new value (${start1})`);
  check(text2.includes(`'ratio': '${ratio1}'`), 'the ratio moved earlier is still displayed');
  check(await until(async () => (await image.getAttribute('src')) !== img1), 'dragging the masking slider redrew the figure');
  await params.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/explorer-after.png`, fullPage: false });
} catch (e) {
  check(false, `error: ${e.message.split('\n')[0]}`);
  await page.screenshot({ path: `${out}/explorer-failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
const failed = results.filter((r) => !r).length;
if (failed) console.log(`screenshots: ${out}`);
console.log(`WIDGET-E2E: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

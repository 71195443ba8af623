// Real-browser test of the workshop page: headless Chromium from Debian
// (never a downloaded browser) driven over the DevTools protocol with
// playwright-core. Opens the page, moves a lever with the keyboard, runs,
// waits for the charts to update, checks that they show the new run's
// numbers (as the API reports them), opens the story of one company and
// saves a screenshot.
//
//   ORGSIM_URL=http://127.0.0.1:8080/ ORGSIM_TEST_OUTPUT=build/test-output node workshop.test.js
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.ORGSIM_URL || 'http://127.0.0.1:8080/';
const outDir = process.env.ORGSIM_TEST_OUTPUT || path.join(__dirname, 'output');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });  // playwright gives the browser a fresh temporary profile itself
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    // The page must not reach out anywhere but this server.
    const origin = new URL(url).origin;
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) errors.push('external request: ' + r.url());
    });

    await page.goto(url);
    await page.waitForSelector('#levers .lever input', { timeout: 30000 });
    const scenario = await page.$eval('#scenario', (s) => s.value);
    console.log(`page loaded, scenario ${scenario}`);

    // First run with the arm's own lever values.
    await page.click('#run');
    await page.waitForFunction(() => document.querySelector('#charts').dataset.run, null, { timeout: 120000 });
    const firstRun = await page.$eval('#charts', (c) => c.dataset.run);
    console.log(`first run ${firstRun} shown`);

    // Move a lever: the PM's mandate to its maximum, with the keyboard.
    const lever = 'organization.pm.mandate';
    const slider = page.locator(`#levers input[data-path="${lever}"]`);
    const before = Number(await slider.inputValue());
    await slider.focus();
    await page.keyboard.press('End');
    const after = Number(await slider.inputValue());
    assert.notEqual(after, before, 'the slider moved');
    assert.equal(await page.locator(`.lever[data-path="${lever}"]`).getAttribute('class'), 'lever changed');
    console.log(`moved ${lever} from ${before} to ${after}`);

    // Run again and wait until the charts show the new run.
    await page.click('#run');
    await page.waitForFunction((old) => {
      const run = document.querySelector('#charts').dataset.run;
      return run && run !== old;
    }, firstRun, { timeout: 120000 });
    const secondRun = await page.$eval('#charts', (c) => c.dataset.run);
    const status = await page.$eval('#status', (s) => s.textContent);
    assert.match(status, /done/);
    console.log(`second run ${secondRun}: ${status}`);

    // The chart shows the new result: its data equals what the API says.
    const api = await page.evaluate(async (id) => (await fetch('/api/runs/' + id)).json(), secondRun);
    assert.equal(api.state, 'done');
    assert.equal(api.levers[lever], after, 'the run used the moved lever');
    const profit = api.metrics.find((m) => m.name === 'profit_total');
    const chart = page.locator('svg[data-metric="profit_total"]');
    assert.equal(await chart.getAttribute('data-run'), secondRun);
    const series = chart.locator('g.series[data-series^="your design"]');
    const drawnMean = Number(await series.getAttribute('data-mean'));
    const drawnN = Number(await series.getAttribute('data-n'));
    assert.ok(Math.abs(drawnMean - profit.design.mean) <= 1e-6 * Math.max(1, Math.abs(profit.design.mean)),
      `chart mean ${drawnMean} equals the run's ${profit.design.mean}`);
    assert.equal(drawnN, api.replications_completed);
    const card = Number(await page.$eval('.card-value[data-metric="profit_total"]', (e) => e.dataset.mean));
    assert.ok(Math.abs(card - profit.design.mean) <= 1e-6 * Math.max(1, Math.abs(profit.design.mean)));
    const chartsShown = await page.locator('#charts svg.chart').count();
    assert.equal(chartsShown, api.metrics.length);
    console.log(`chart shows run ${secondRun}: profit mean ${drawnMean} over ${drawnN} replications, ` +
      `${chartsShown} charts`);

    // The story of one company.
    await page.click('#story');
    await page.waitForSelector('#story-lines li', { timeout: 60000 });
    const lines = await page.locator('#story-lines li').count();
    const meta = await page.$eval('#story-meta', (e) => e.textContent);
    assert.ok(lines > 3, 'the story has lines');
    assert.match(meta, /same as the untraced run/);
    console.log(`story: ${lines} lines; ${meta}`);

    assert.deepEqual(errors, [], 'no page errors or external requests');

    // A bad request is answered with a 4xx and a clear JSON message.
    const bad = await page.evaluate(async () => {
      const r = await fetch('/api/runs', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: '../x.textproto' }),
      });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /\.\./);
    // A POST a cross-site form could send (text/plain) starts nothing: 415.
    const plain = await page.evaluate(async () => {
      const r = await fetch('/api/runs', { method: 'POST', body: JSON.stringify({ scenario: 'small.textproto' }) });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(plain.status, 415);
    assert.match(plain.body.error, /application\/json/);

    const shot = path.join(outDir, 'workshop.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('browser test passed'), (e) => {
  console.error('browser test FAILED:', e && e.stack ? e.stack : e);
  process.exit(1);
});

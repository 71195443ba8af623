// Real-browser test of the workshop page: headless Chromium from Debian
// (never a downloaded browser) driven over the DevTools protocol with
// playwright-core. Opens the page and checks that the sliders hold the arm's
// exact values and that a run with untouched levers sends none; moves a
// lever with the keyboard and types an exact value, runs, waits for the
// charts to update, checks that they show the new run's numbers (as the API
// reports them), the cash chart, the cards' better/worse colours and the
// glossary; Reset restores the arm; opens the story of one company and the
// join QR code; on a 390 px phone the Run button is in the first viewport
// and nothing is wider than the screen. Saves screenshots.
//
//   ORGSIM_URL=http://127.0.0.1:8080/ ORGSIM_TEST_OUTPUT=build/test-output node workshop.test.js
//
// ORGSIM_SCREENSHOTS=docs/img also writes the README's screenshots there.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.ORGSIM_URL || 'http://127.0.0.1:8080/';
const outDir = process.env.ORGSIM_TEST_OUTPUT || path.join(__dirname, 'output');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const docShots = process.env.ORGSIM_SCREENSHOTS || '';

// Screenshots go to the test output; those for the README (small: one
// viewport each) also to ORGSIM_SCREENSHOTS when set.
async function screenshot(page, name, options, forReadme) {
  const shot = path.join(outDir, name);
  await page.screenshot(Object.assign({ path: shot }, options || {}));
  if (docShots && forReadme) {
    fs.mkdirSync(docShots, { recursive: true });
    fs.copyFileSync(shot, path.join(docShots, name));
  }
  console.log(`screenshot: ${shot}`);
}

// The lever values of every POST /api/runs the page sends, in order.
function recordRunRequests(page) {
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/runs') sent.push(JSON.parse(r.postData()));
  });
  return sent;
}

async function waitForNewRun(page, old) {
  await page.waitForFunction((previous) => {
    const run = document.querySelector('#charts').dataset.run;
    return run && run !== previous;
  }, old || null, { timeout: 120000 });
  return page.$eval('#charts', (c) => c.dataset.run);
}

// The page's lever rows: path -> {value held, changed highlight, slider and entry text}.
async function leverRows(page) {
  return page.$$eval('#levers .lever', (rows) => Object.fromEntries(rows.map((row) => {
    const slider = row.querySelector('input[type=range], input[type=checkbox]');
    const entry = row.querySelector('input.lever-entry');
    return [row.dataset.path, {
      value: Number(row.dataset.value), changed: row.classList.contains('changed'),
      slider: slider.type === 'checkbox' ? (slider.checked ? '1' : '0') : slider.value,
      entry: entry ? entry.value : null,
    }];
  })));
}

// Every lever shows the arm's own value exactly, unhighlighted.
async function expectArmValues(page, scenario, arm) {
  const rows = await leverRows(page);
  for (const lever of scenario.levers) {
    const row = rows[lever.path];
    const exact = lever.values[arm];
    assert.equal(row.value, exact, `${lever.path} holds ${arm}'s value`);
    assert.equal(row.changed, false, `${lever.path} is not highlighted as changed`);
    if (lever.kind !== 'bool') {
      assert.equal(Number(row.slider), exact, `the ${lever.path} slider is not rounded to a step`);
      assert.equal(Number(row.entry), exact, `the ${lever.path} entry shows the exact value`);
    }
  }
}

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

    const sent = recordRunRequests(page);
    await page.goto(url);
    await page.waitForSelector('#levers .lever input', { timeout: 30000 });
    const scenario = await page.$eval('#scenario', (s) => s.value);
    const arm = await page.$eval('#arm', (s) => s.value);
    const described = await page.evaluate(async (id) =>
      (await fetch('/api/scenario?id=' + encodeURIComponent(id))).json(), scenario);
    console.log(`page loaded, scenario ${scenario}, arm ${arm}`);

    // The sliders hold the arm's exact values (8 hours a week is not 8.1).
    await expectArmValues(page, described, arm);
    const hours = 'organization.pm.customer_interaction_hours_per_week';
    assert.equal(described.levers.find((l) => l.path === hours).values[arm], 8, 'the test arm has 8 hours/week');
    console.log(`all ${described.levers.length} levers hold ${arm}'s exact values`);
    const runBottom = await page.$eval('#run', (e) => e.getBoundingClientRect().bottom);
    assert.ok(runBottom <= 1000, `the Run button ends at ${runBottom} px, inside the 1000 px window`);

    // First run with the arm's own lever values: no lever is sent.
    await page.click('#run');
    const firstRun = await waitForNewRun(page, null);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].levers, {}, 'untouched levers are never sent');
    assert.match(await page.$eval('.run-title', (e) => e.textContent), new RegExp(`Your design: ${arm} — vs`));
    console.log(`first run ${firstRun} shown; request levers ${JSON.stringify(sent[0].levers)}`);

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

    // An exact value typed into a lever's entry is sent as typed.
    const drift = 'market.need_drift_per_sqrt_year';
    const typed = 0.437;
    await page.fill(`#levers .lever[data-path="${drift}"] input.lever-entry`, String(typed));
    await page.press(`#levers .lever[data-path="${drift}"] input.lever-entry`, 'Enter');
    await page.waitForFunction((p) => document.querySelector(`.lever[data-path="${p}"]`).classList.contains('changed'),
      drift);

    // Run again and wait until the charts show the new run.
    await page.click('#run');
    const secondRun = await waitForNewRun(page, firstRun);
    assert.deepEqual(sent[1].levers, { [lever]: after, [drift]: typed }, 'only the two moved levers are sent');
    const status = await page.$eval('#status', (s) => s.textContent);
    assert.match(status, /done/);
    console.log(`second run ${secondRun}: ${status}`);

    // The chart shows the new result: its data equals what the API says.
    const api = await page.evaluate(async (id) => (await fetch('/api/runs/' + id)).json(), secondRun);
    assert.equal(api.state, 'done');
    assert.equal(api.levers[lever], after, 'the run used the moved lever');
    assert.equal(api.levers[drift], typed, 'the typed value is not rounded');
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
    assert.equal(chartsShown, api.metrics.length + 1, 'a chart per metric, and cash over time');
    console.log(`chart shows run ${secondRun}: profit mean ${drawnMean} over ${drawnN} replications, ` +
      `${chartsShown} charts`);

    // Human labels, and card colours that follow each metric's direction.
    for (const m of api.metrics) {
      const cardClass = await page.$eval(`.card[data-metric="${m.name}"]`, (e) => e.className);
      const name = await page.$eval(`.card[data-metric="${m.name}"] .card-name`, (e) => e.textContent);
      assert.equal(name, m.label);
      const sure = m.paired.ci_low > 0 || m.paired.ci_high < 0;
      const expected = !sure || m.paired.mean_diff === 0 ? 'unsure' : m.better === 'neither' ? 'neutral'
        : (m.paired.mean_diff > 0) === (m.better === 'higher') ? 'good' : 'bad';
      assert.ok(cardClass.split(' ').includes(expected), `${m.name}: card ${cardClass}, expected ${expected}`);
    }
    const pmf = api.metrics.find((m) => m.name === 'time_to_pmf_days');
    assert.equal(pmf.better, 'lower');
    // The cash chart: the run's monthly series, median per arm.
    assert.ok(api.cash && api.cash.months.length > 0, 'the run has a cash series');
    const cash = page.locator('svg[data-series="cash"]');
    assert.equal(await cash.getAttribute('data-run'), secondRun);
    const finalMedian = Number(await cash.locator('g.series[data-series^="your design"]').getAttribute('data-final-median'));
    const apiMedian = api.cash.design.median[api.cash.design.median.length - 1];
    assert.ok(Math.abs(finalMedian - apiMedian) <= 1e-6 * Math.max(1, Math.abs(apiMedian)));
    // The glossary explains the words on the page.
    const glossary = await page.$eval('#glossary', (e) => e.textContent);
    for (const word of ['MRR', 'ARR', 'PMF', 'NRR', 'CI', 'Paired replications']) {
      assert.ok(glossary.includes(word), `the glossary explains ${word}`);
    }
    console.log(`cards coloured by direction; cash chart final median ${finalMedian}; glossary present`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'workshop-results.png', {}, true);

    // Reset restores the arm: exact values, nothing highlighted, nothing sent.
    await page.click('#reset');
    await expectArmValues(page, described, arm);
    await page.click('#run');
    const thirdRun = await waitForNewRun(page, secondRun);
    assert.deepEqual(sent[2].levers, {}, 'after Reset no lever is sent');
    console.log(`reset: run ${thirdRun} sent no levers`);

    // The join link and its QR code, on request (this server is on loopback).
    assert.equal(await page.isVisible('#join'), false, 'no join panel on loopback until asked');
    await page.click('#show-join');
    await page.waitForSelector('#join-qr svg', { timeout: 10000 });
    const modules = Number(await page.getAttribute('#join-qr svg', 'data-modules'));
    assert.ok(modules >= 21 && (modules - 17) % 4 === 0, `a QR symbol of ${modules} modules`);
    assert.match(await page.$eval('#join-url', (e) => e.textContent), /^http:\/\/127\.0\.0\.1:\d+\/$/);
    console.log(`join QR code: ${modules} modules`);

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

    await screenshot(page, 'workshop.png', { fullPage: true });
    await page.close();

    // A 390 px phone: Run in the first viewport, levers before charts,
    // nothing wider than the screen.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1,
      isMobile: true, hasTouch: true });
    const phoneErrors = [];
    phone.on('pageerror', (e) => phoneErrors.push(String(e)));
    await phone.goto(url);
    await phone.waitForSelector('#levers .lever input', { timeout: 30000 });
    const inView = async (selector) => phone.$eval(selector, (e) => {
      const r = e.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
    });
    assert.ok(await inView('#run'), 'the Run button is visible without scrolling');
    assert.ok(await inView('#levers .lever'), 'the first lever is visible without scrolling');
    const leversTop = await phone.$eval('#levers', (e) => e.getBoundingClientRect().top);
    const chartsTop = await phone.$eval('#charts', (e) => e.getBoundingClientRect().top);
    assert.ok(leversTop < chartsTop, 'levers come before the charts');
    await screenshot(phone, 'workshop-phone.png', {}, true);
    await phone.click('#run');
    await waitForNewRun(phone, null);
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      charts: [...document.querySelectorAll('#charts svg')].map((s) => s.getBoundingClientRect().right),
    }));
    assert.ok(widths.page <= 390, `the page is ${widths.page} px wide on a 390 px phone`);
    for (const right of widths.charts) assert.ok(right <= 390, `a chart ends at ${right} px`);
    await phone.$eval('#headline', (e) => e.scrollIntoView());
    await screenshot(phone, 'workshop-phone-results.png', {}, true);
    console.log(`phone: Run in the first viewport; page ${widths.page} px wide, ${widths.charts.length} charts fit`);
    assert.deepEqual(phoneErrors, [], 'no page errors on the phone');
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('browser test passed'), (e) => {
  console.error('browser test FAILED:', e && e.stack ? e.stack : e);
  process.exit(1);
});

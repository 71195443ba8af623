// The workshop page: scenario picker, lever sliders, background runs with a
// progress bar, server-rendered SVG distributions, the story of one company.
// No frameworks and no network access beyond this server's /api.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { scenario: null, runId: null, cancelKey: null, timer: null, lastRun: null };

// Off loopback the server needs the join link's ?token= on every API call:
// kept here (and in the server's cookie) and taken out of the address bar,
// so a projected screen does not show it.
const accessToken = new URLSearchParams(window.location.search).get('token');
if (accessToken) {
  const url = new URL(window.location.href);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

async function api(path, options) {
  const request = Object.assign({}, options || {});
  request.headers = Object.assign({}, request.headers || {});
  if (accessToken) request.headers['X-Orgsim-Token'] = accessToken;
  const response = await fetch(path, request);
  let body = null;
  try { body = await response.json(); } catch (e) { body = { error: 'invalid response' }; }
  if (!response.ok) throw new Error(body && body.error ? body.error : `HTTP ${response.status}`);
  return body;
}

function showError(message) {
  const el = $('error');
  el.textContent = message || '';
  el.hidden = !message;
}

function formatValue(v, lever) {
  if (lever.kind === 'bool') return v >= 0.5 ? 'on' : 'off';
  if (lever.kind === 'integer') return String(Math.round(v));
  // Up to four significant digits, no trailing zeros: 8 stays "8", 0.5 "0.5".
  const text = Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(4)));
  return lever.unit ? `${text} ${lever.unit}` : text;
}

function shortNumber(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  if (a >= 100) return v.toFixed(0);
  return v.toFixed(a >= 1 ? 2 : 3);
}

async function loadScenarios() {
  const data = await api('/api/scenarios');
  const select = $('scenario');
  select.innerHTML = '';
  for (const s of data.scenarios) {
    const option = document.createElement('option');
    option.value = s.id;
    option.textContent = s.name ? `${s.name} (${s.id})` : `${s.id} — ${s.error}`;
    option.disabled = !s.name;
    select.appendChild(option);
  }
  const preferred = data.scenarios.find((s) => s.id === 'product_led_vs_project_mode.textproto' && s.name)
    || data.scenarios.find((s) => s.name);
  if (preferred) {
    select.value = preferred.id;
    await loadScenario(preferred.id);
  } else {
    showError('No valid scenario in the scenarios folder.');
  }
}

async function loadScenario(id) {
  showError('');
  const s = await api('/api/scenario?id=' + encodeURIComponent(id));
  state.scenario = s;
  $('scenario-title').textContent = s.name;
  $('scenario-description').textContent = s.description || '';
  const arm = $('arm');
  arm.innerHTML = '';
  for (const a of s.arms) {
    const option = document.createElement('option');
    option.value = a.name;
    option.textContent = a.name + (a.name === s.baseline ? ' (baseline)' : '');
    option.title = a.description || '';
    arm.appendChild(option);
  }
  const nonBaseline = s.arms.find((a) => a.name !== s.baseline);
  arm.value = nonBaseline ? nonBaseline.name : s.baseline;
  $('baseline-note').textContent = `Every run is compared with the baseline arm "${s.baseline}" on the same ` +
    'market draws (common random numbers).';
  const reps = $('replications');
  reps.max = s.limits.max_replications;
  reps.value = Math.min(s.limits.default_replications, s.limits.max_replications);
  $('replications-out').textContent = reps.value;
  buildLevers();
  fitControls();
}

// The levers as the page holds them: per path the arm's exact value, the
// current value and whether the user touched it. Only touched levers whose
// value differs from the arm's are ever sent; sliders never round a value the
// user did not move (their step is "any"; a drag snaps to the lever's step).
const levers = new Map();

function snapToStep(v, lever) {
  if (lever.kind !== 'number') return Math.round(v);
  const step = lever.step;
  let snapped = lever.min + Math.round((v - lever.min) / step) * step;
  snapped = Number(snapped.toPrecision(12));  // no 0.30000000000000004
  if (lever.min_exclusive && snapped <= lever.min) snapped = lever.min + step;
  if (lever.max_exclusive && snapped >= lever.max) snapped = lever.max - step;
  return Math.min(lever.max, Math.max(lever.min, snapped));
}

function buildLevers() {
  const s = state.scenario;
  const arm = $('arm').value;
  const box = $('levers');
  box.innerHTML = '';
  levers.clear();
  for (const lever of s.levers) {
    const initial = lever.values[arm];
    const held = { lever, initial, value: initial, touched: false };
    levers.set(lever.path, held);
    const row = document.createElement('div');
    row.className = 'lever';
    row.dataset.path = lever.path;
    const id = 'lever-' + lever.path.replace(/[^A-Za-z0-9]/g, '-');
    const label = document.createElement('label');
    label.htmlFor = id;
    const name = document.createElement('span');
    name.className = 'lever-name';
    name.textContent = lever.label;
    const claim = document.createElement('span');
    claim.className = 'claim';
    claim.textContent = lever.claim;
    claim.title = 'The claim of docs/model.md this lever tests';
    const out = document.createElement('output');
    out.className = 'lever-value';
    label.append(name, claim, out);
    const input = document.createElement('input');
    input.id = id;
    input.dataset.path = lever.path;
    input.dataset.initial = String(initial);
    let entry = null;  // free numeric entry, for exact values
    if (lever.kind === 'bool') {
      input.type = 'checkbox';
      input.checked = initial >= 0.5;
    } else {
      input.type = 'range';
      input.min = lever.min;
      input.max = lever.max;
      input.step = 'any';  // the arm's value stays exact; drags snap in JS
      input.value = initial;
      entry = document.createElement('input');
      entry.type = 'number';
      entry.className = 'lever-entry';
      entry.step = 'any';
      entry.min = lever.min;
      entry.max = lever.max;
      entry.value = initial;
      entry.setAttribute('aria-label', lever.label + ' (exact value)');
    }
    const show = () => {
      out.textContent = formatValue(held.value, lever);
      row.classList.toggle('changed', held.touched && held.value !== initial);
      row.dataset.value = String(held.value);
    };
    const fromSlider = () => {
      held.touched = true;
      held.value = lever.kind === 'bool' ? (input.checked ? 1 : 0) : snapToStep(Number(input.value), lever);
      if (entry) entry.value = held.value;
      show();
    };
    input.addEventListener('input', fromSlider);
    input.addEventListener('change', fromSlider);
    if (entry) {
      entry.addEventListener('change', () => {
        const v = Number(entry.value);
        if (entry.value === '' || !Number.isFinite(v)) { entry.value = held.value; return; }
        held.touched = true;
        held.value = lever.kind === 'integer' ? Math.round(v) : v;  // exactly as typed
        input.value = held.value;
        show();
      });
    }
    show();
    const help = document.createElement('p');
    help.className = 'lever-help';
    help.textContent = `${lever.help} Range ${formatValue(lever.min, lever)} – ${formatValue(lever.max, lever)}.`;
    const control = document.createElement('div');
    control.className = 'lever-control';
    control.append(input);
    if (entry) control.append(entry);
    row.append(label, control, help);
    box.appendChild(row);
  }
}

function leverValues() {
  const changed = {};
  for (const [path, held] of levers) {
    if (held.touched && held.value !== held.initial) changed[path] = held.value;
  }
  return changed;
}

function setRunning(running) {
  $('run').disabled = running;
  $('cancel').disabled = !running;
  document.body.classList.toggle('running', running);
}

async function startRun() {
  showError('');
  const request = {
    scenario: $('scenario').value,
    arm: $('arm').value,
    replications: Number($('replications').value),
    levers: leverValues(),
  };
  try {
    const started = await api('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    state.runId = started.id;
    state.cancelKey = started.cancel_key;
    $('progress').max = started.replications;
    $('progress').value = 0;
    $('status').textContent = `run ${started.id}: starting…`;
    setRunning(true);
    poll();
  } catch (e) {
    showError(e.message);
  }
}

async function poll() {
  clearTimeout(state.timer);
  if (!state.runId) return;
  try {
    const run = await api('/api/runs/' + state.runId);
    $('progress').max = run.total;
    $('progress').value = run.done;
    $('status').textContent = run.queue_position
      ? `run ${run.id}: queued, number ${run.queue_position} in line`
      : `run ${run.id}: ${run.state}, ${run.done} / ${run.total} replications`;
    if (run.state === 'queued' || run.state === 'running') {
      state.timer = setTimeout(poll, 250);
      return;
    }
    setRunning(false);
    if (run.state === 'failed') {
      showError('The run failed: ' + run.error);
      return;
    }
    showResults(run);
  } catch (e) {
    setRunning(false);
    showError(e.message);
  }
}

// How a metric's difference reads for the room: better, worse or just
// different, by the metric's direction; "unsure" when the 95% CI of the
// paired difference includes zero.
function verdict(m) {
  const diff = m.paired.mean_diff;
  const sure = m.paired.ci_low > 0 || m.paired.ci_high < 0;
  if (!sure || diff === 0 || diff === null) return { cls: 'unsure', word: 'no clear difference' };
  if (m.better === 'neither') return { cls: 'neutral', word: diff > 0 ? 'higher' : 'lower' };
  const good = (diff > 0) === (m.better === 'higher');
  return { cls: good ? 'good' : 'bad', word: good ? 'better' : 'worse' };
}

function shareText(m) {
  const share = m.paired.better_share;
  if (share === null || share === undefined) return '';
  return `Your design did better in ${Math.round(100 * share)}% of the paired replications.`;
}

function metricCard(m) {
  const card = document.createElement('div');
  card.className = 'card';
  card.dataset.metric = m.name;
  const v = verdict(m);
  card.classList.add(v.cls);
  card.title = m.description + (m.better === 'higher' ? ' (higher is better)' : m.better === 'lower'
    ? ' (lower is better)' : '');
  const name = document.createElement('span');
  name.className = 'card-name';
  name.textContent = m.label || m.name;
  const value = document.createElement('span');
  value.className = 'card-value';
  value.textContent = shortNumber(m.design.mean);
  value.dataset.metric = m.name;
  value.dataset.mean = m.design.mean;
  const diff = m.paired.mean_diff;
  const delta = document.createElement('span');
  delta.className = 'card-delta';
  delta.textContent = `${diff >= 0 ? '+' : ''}${shortNumber(diff)} vs baseline: ${v.word}`;
  const direction = document.createElement('span');
  direction.className = 'card-direction';
  direction.textContent = m.better === 'higher' ? 'higher is better' : m.better === 'lower' ? 'lower is better' : '';
  card.append(name, value, delta, direction);
  return card;
}

function showResults(run) {
  state.lastRun = run;
  const charts = $('charts');
  charts.innerHTML = '';
  charts.dataset.run = run.id;
  const headline = $('headline');
  headline.innerHTML = '';
  const changed = Object.keys(run.levers);
  const title = document.createElement('p');
  title.className = 'run-title';
  title.textContent = `Your design: ${run.arm}` +
    (changed.length ? ` with ${changed.length} lever${changed.length > 1 ? 's' : ''} changed` : '') +
    ` — vs baseline ${run.baseline}, ${run.replications_completed} paired replications` +
    (run.state === 'cancelled' ? ' (cancelled early)' : '') + '.';
  headline.appendChild(title);
  const cards = document.createElement('div');
  cards.className = 'cards';
  for (const m of run.metrics) cards.appendChild(metricCard(m));
  headline.appendChild(cards);
  if (run.cash) {
    const figure = document.createElement('figure');
    figure.className = 'chart-card cash';
    figure.innerHTML = run.cash.svg;  // rendered by the server from the monthly series
    charts.appendChild(figure);
  }
  for (const m of run.metrics) {
    const figure = document.createElement('figure');
    figure.className = 'chart-card';
    figure.innerHTML = m.svg;  // rendered by the server from the same numbers
    const caption = document.createElement('figcaption');
    caption.textContent = m.description + (m.unit ? ` (${m.unit})` : '') + '. ' + shareText(m);
    figure.appendChild(caption);
    charts.appendChild(figure);
  }
  $('story-section').hidden = false;
  $('story-replication').max = Math.max(0, run.replications_completed - 1);
  $('story-lines').innerHTML = '';
  $('story-meta').textContent = '';
}

async function tellStory() {
  if (!state.lastRun) return;
  showError('');
  const r = Number($('story-replication').value);
  const which = $('story-arm').value;
  try {
    const url = `/api/runs/${state.lastRun.id}/story?arm=${which}&replication=${r}`;
    // 202 while the server computes the story in the background: ask again.
    let story = await api(url);
    for (let tries = 0; story.state === 'computing' && tries < 600; ++tries) {
      $('story-meta').textContent = 'telling the story…';
      await new Promise((resolve) => setTimeout(resolve, 500));
      story = await api(url);
    }
    if (story.state === 'computing') throw new Error('the story is taking too long; try again later');
    $('story-meta').textContent = `${story.arm}, replication ${story.replication}: ${story.events_total} events; ` +
      `fingerprint ${story.fingerprint}` + (story.fingerprint_matches_untraced ? ' (same as the untraced run)' : '');
    const list = $('story-lines');
    list.innerHTML = '';
    for (const line of story.narrative) {
      const li = document.createElement('li');
      li.textContent = line;
      list.appendChild(li);
    }
  } catch (e) {
    showError(e.message);
  }
}

// The join link and its QR code: shown at once to the facilitator when the
// server is open to the room (token mode); on request otherwise.
async function loadJoin(show) {
  try {
    const join = await api('/api/join');
    $('join-url').textContent = join.url;
    $('join-url').href = join.url;
    const headers = accessToken ? { 'X-Orgsim-Token': accessToken } : {};
    const response = await fetch(join.qr, { headers });
    if (!response.ok) throw new Error(`QR code: HTTP ${response.status}`);
    $('join-qr').innerHTML = await response.text();  // an SVG this server generated
    if (show || (join.token_required && join.role === 'facilitator')) $('join').hidden = false;
  } catch (e) {
    showError(e.message);
  }
}

async function cancelRun() {
  if (!state.runId) return;
  try {
    await api(`/api/runs/${state.runId}/cancel`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cancel_key: state.cancelKey }),
    });
  } catch (e) {
    showError(e.message);
  }
}

// On a wide screen the lever panel scrolls on its own, with Run pinned to
// its bottom: it must end inside the window even below the header.
function fitControls() {
  const header = document.querySelector('header.top');
  document.documentElement.style.setProperty('--header-height', `${header.offsetHeight}px`);
}

function init() {
  window.addEventListener('resize', fitControls);
  $('scenario').addEventListener('change', (e) => loadScenario(e.target.value).catch((err) => showError(err.message)));
  $('arm').addEventListener('change', buildLevers);
  $('replications').addEventListener('input', (e) => { $('replications-out').textContent = e.target.value; });
  $('run').addEventListener('click', startRun);
  $('cancel').addEventListener('click', cancelRun);
  $('reset').addEventListener('click', buildLevers);
  $('story').addEventListener('click', tellStory);
  $('show-join').addEventListener('click', () => {
    if ($('join').hidden) loadJoin(true); else $('join').hidden = true;
  });
  loadScenarios().catch((e) => showError(e.message));
  loadJoin(false);
}

document.addEventListener('DOMContentLoaded', init);

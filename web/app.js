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
  const abs = Math.abs(v);
  const text = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
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
}

function buildLevers() {
  const s = state.scenario;
  const arm = $('arm').value;
  const box = $('levers');
  box.innerHTML = '';
  for (const lever of s.levers) {
    const value = lever.values[arm];
    const row = document.createElement('div');
    row.className = 'lever';
    row.dataset.path = lever.path;
    const id = 'lever-' + lever.path.replace(/[^A-Za-z0-9]/g, '-');
    const label = document.createElement('label');
    label.htmlFor = id;
    label.innerHTML = '';
    const name = document.createElement('span');
    name.className = 'lever-name';
    name.textContent = lever.label;
    const claim = document.createElement('span');
    claim.className = 'claim';
    claim.textContent = lever.claim;
    const out = document.createElement('output');
    out.className = 'lever-value';
    label.append(name, claim, out);
    const input = document.createElement('input');
    input.id = id;
    input.dataset.path = lever.path;
    input.dataset.initial = String(value);
    if (lever.kind === 'bool') {
      input.type = 'checkbox';
      input.checked = value >= 0.5;
    } else {
      input.type = 'range';
      input.min = lever.min;
      input.max = lever.max;
      input.step = lever.step;
      input.value = value;
    }
    const update = () => {
      const v = lever.kind === 'bool' ? (input.checked ? 1 : 0) : Number(input.value);
      out.textContent = formatValue(v, lever);
      row.classList.toggle('changed', Math.abs(v - value) > 1e-12);
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    update();
    const help = document.createElement('p');
    help.className = 'lever-help';
    help.textContent = `${lever.help} Range ${formatValue(lever.min, lever)} – ${formatValue(lever.max, lever)}.`;
    row.append(label, input, help);
    box.appendChild(row);
  }
}

function leverValues() {
  const levers = {};
  for (const input of document.querySelectorAll('#levers input')) {
    const v = input.type === 'checkbox' ? (input.checked ? 1 : 0) : Number(input.value);
    if (Math.abs(v - Number(input.dataset.initial)) > 1e-12) levers[input.dataset.path] = v;
  }
  return levers;
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
  for (const m of run.metrics) {
    const card = document.createElement('div');
    card.className = 'card';
    const diff = m.paired.mean_diff;
    const sure = m.paired.ci_low > 0 || m.paired.ci_high < 0;
    card.classList.add(diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat');
    if (!sure) card.classList.add('unsure');
    card.innerHTML = '';
    const name = document.createElement('span');
    name.className = 'card-name';
    name.textContent = m.name.replace(/_/g, ' ');
    const value = document.createElement('span');
    value.className = 'card-value';
    value.textContent = shortNumber(m.design.mean);
    value.dataset.metric = m.name;
    value.dataset.mean = m.design.mean;
    const delta = document.createElement('span');
    delta.className = 'card-delta';
    delta.textContent = `${diff >= 0 ? '+' : ''}${shortNumber(diff)} vs baseline` + (sure ? '' : ' (not distinguishable)');
    card.append(name, value, delta);
    cards.appendChild(card);
  }
  headline.appendChild(cards);
  for (const m of run.metrics) {
    const figure = document.createElement('figure');
    figure.className = 'chart-card';
    figure.innerHTML = m.svg;  // rendered by the server from the same numbers
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

function init() {
  $('scenario').addEventListener('change', (e) => loadScenario(e.target.value).catch((err) => showError(err.message)));
  $('arm').addEventListener('change', buildLevers);
  $('replications').addEventListener('input', (e) => { $('replications-out').textContent = e.target.value; });
  $('run').addEventListener('click', startRun);
  $('cancel').addEventListener('click', cancelRun);
  $('reset').addEventListener('click', buildLevers);
  $('story').addEventListener('click', tellStory);
  loadScenarios().catch((e) => showError(e.message));
}

document.addEventListener('DOMContentLoaded', init);

// The room page: participants join and decide; the facilitator runs rounds
// and shows the board. Talks only to /api/room/... (engine/serve/server.h).
'use strict';

const $ = (id) => document.getElementById(id);
let seat = JSON.parse(localStorage.getItem('orgsim-seat') || 'null');
let state = null;

async function api(path, body) {
  const init = body === undefined ? {} :
    {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
  return data;
}

function fmt(v) { return v === null || v === undefined ? '–' : Number(v).toPrecision(3); }

function renderLevers() {
  const form = $('lever-form');
  if (form.dataset.built) return;
  form.dataset.built = '1';
  for (const lever of state.levers) {
    const label = document.createElement('label');
    label.textContent = lever.label + ' ';
    const input = document.createElement('input');
    input.type = 'number';
    input.min = lever.min; input.max = lever.max; input.step = 'any';
    input.value = lever.baseline;
    input.dataset.path = lever.path;
    input.dataset.baseline = lever.baseline;
    label.appendChild(input);
    form.appendChild(label);
  }
}

async function refresh() {
  try {
    state = await api('/api/room');
  } catch (e) { $('room-status').textContent = e.message; return; }
  if (!state.open) { $('room-status').textContent = 'No room is open yet.'; return; }
  const round = state.rounds[state.round - 1];
  $('room-status').textContent = state.scenario_name + ': round ' + state.round + ' (days ' +
    round.start_day + '–' + round.end_day + ')' + (state.paused ? ', paused' : '') +
    (state.computing ? ', computing ' + state.progress.done + '/' + state.progress.total : '') +
    ', ' + state.tables.length + ' tables';
  $('facilitator-section').hidden = state.role !== 'facilitator';
  $('pause-button').textContent = state.paused ? 'Resume' : 'Pause';
  $('reveal-button').textContent = state.revealed ? 'Hide the board' : 'Reveal the board';
  if (seat) {
    $('join-section').hidden = true;
    $('seat-section').hidden = false;
    $('seat-title').textContent = 'Table ' + seat.table_name;
    renderLevers();
  }
  if (state.role === 'facilitator' || state.revealed) await refreshBoard();
}

async function refreshBoard() {
  let board;
  try { board = await api('/api/room/board'); } catch (e) { $('board-section').hidden = true; return; }
  $('board-section').hidden = false;
  const body = $('leaderboard').querySelector('tbody');
  body.replaceChildren();
  for (const row of board.leaderboard) {
    const tr = document.createElement('tr');
    for (const text of [row.rank, row.name, fmt(row.mean_diff),
                        '[' + fmt(row.ci_low) + ', ' + fmt(row.ci_high) + ']']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    tr.dataset.table = row.table;
    body.appendChild(tr);
  }
  // Server-rendered SVG (engine/report/svg.h escapes every text).
  $('board-charts').innerHTML = board.charts.map((c) => c.svg).join('');
  const table = seat ? seat.table : (board.leaderboard[0] || {}).table;
  if (table) {
    try {
      const d = await api('/api/room/debrief?table=' + encodeURIComponent(table));
      const lines = [
        d.name + ': ' + d.metric.label + ' vs keeping the baseline ' +
          fmt(d.kept_baseline[d.metric.name].mean_diff) + ', vs copying ' + d.leader.name + ' ' +
          fmt(d.copied_leader[d.metric.name].mean_diff),
        ...d.rounds.map((r) => 'Round ' + r.round + ': gap ' +
          fmt(r.vs_baseline && r.vs_baseline.mean_diff) + ' (' + r.decisions.length + ' decisions)'),
        'The gap opened most in round ' + d.gap_opened_round + '.'];
      $('debrief').replaceChildren(...lines.map((t) => {
        const p = document.createElement('p'); p.textContent = t; return p;
      }));
    } catch (e) { $('debrief').textContent = e.message; }
  }
}

$('join-button').addEventListener('click', async () => {
  const request = {name: $('join-name').value};
  if ($('join-table').value) request.table = $('join-table').value;
  try {
    seat = await api('/api/room/join', request);
    localStorage.setItem('orgsim-seat', JSON.stringify(seat));
    refresh();
  } catch (e) { $('room-status').textContent = e.message; }
});

$('decide-button').addEventListener('click', async () => {
  const levers = {};
  for (const input of $('lever-form').querySelectorAll('input')) {
    if (input.value !== input.dataset.baseline) levers[input.dataset.path] = Number(input.value);
  }
  if (Object.keys(levers).length === 0) { $('decide-status').textContent = 'Nothing changed.'; return; }
  try {
    const r = await api('/api/room/decide', {table: seat.table, key: seat.key, levers});
    $('decide-status').textContent = 'Sent for round ' + r.round + '.';
  } catch (e) { $('decide-status').textContent = e.message; }
});

const action = (id, path, body) => $(id).addEventListener('click', async () => {
  try {
    const r = await api(path, body());
    $('facilitator-status').textContent = path.split('/').pop() + ': done';
    if (path.endsWith('/save')) {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([JSON.stringify(r.session, null, 2)]));
      link.download = 'room-session.json';
      link.click();
    }
    refresh();
  } catch (e) { $('facilitator-status').textContent = e.message; }
});
action('close-button', '/api/room/close', () => ({}));
action('pause-button', '/api/room/pause', () => ({paused: !state.paused}));
action('extend-button', '/api/room/extend', () => ({days: 30}));
action('reveal-button', '/api/room/reveal', () => ({revealed: !state.revealed}));
action('save-button', '/api/room/save', () => ({}));

refresh();
setInterval(refresh, 3000);

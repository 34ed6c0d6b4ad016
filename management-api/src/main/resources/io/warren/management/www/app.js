// Warren dashboard: plain JS, no build step, no CDN. Talks to the RabbitMQ-compatible /api.
'use strict';

const REFRESH_MS = 5000;
const state = { tab: null, timer: null, sort: {}, filter: {}, page: {}, refresh: null };
const PAGE_SIZE = 100;
const $ = (sel, root = document) => root.querySelector(sel);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const enc = encodeURIComponent;
const fmtNum = n => (n == null ? '' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 }));
const fmtRate = d => (d && d.rate != null ? fmtNum(d.rate) + '/s' : '');

// ---- API access -------------------------------------------------------------------------

function credentials() {
  return sessionStorage.getItem('warren.auth');
}

async function api(method, path, body, extraHeaders) {
  const headers = { 'Authorization': 'Basic ' + credentials(), 'X-Requested-With': 'XMLHttpRequest', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { showLogin('Login failed'); throw new Error('unauthorised'); }
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((data && (data.reason || data.error)) || ('HTTP ' + r.status));
  return data;
}

/** The status line; what an action reports stays a few seconds before a refresh's "Updated" replaces it. */
function status(msg, isError) {
  state.statusAt = Date.now();
  showStatus(msg, isError);
}

function updated() {
  if (!state.statusAt || Date.now() - state.statusAt > 4000) showStatus('Updated ' + new Date().toLocaleTimeString());
}

function showStatus(msg, isError) {
  const el = $('#status');
  el.textContent = msg || '';
  el.className = 'status' + (isError ? ' error' : '');
}

// ---- login ------------------------------------------------------------------------------

function showLogin(error) {
  clearInterval(state.timer);
  sessionStorage.removeItem('warren.auth');
  $('#login').hidden = false;
  $('#nav').hidden = true;
  $('#view').innerHTML = '';
  $('#who').innerHTML = '';
  $('#login-error').textContent = error || '';
}

$('#login-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = ev.target;
  sessionStorage.setItem('warren.auth', btoa(unescape(enc(f.user.value + ':' + f.pass.value))));
  try {
    const me = await api('GET', '/api/whoami');
    loggedIn(me);
  } catch (e) {
    if (e.message !== 'unauthorised') $('#login-error').textContent = e.message;
  }
});

function loggedIn(me) {
  $('#login').hidden = true;
  $('#nav').hidden = false;
  $('#who').innerHTML = esc(me.name) + ' <button id="logout">Log out</button>';
  $('#logout').onclick = () => showLogin('');
  route();
}

// ---- routing and refresh ----------------------------------------------------------------

// each page's script (overview.js, lists.js, queue.js, ...) adds its views to this table
const VIEWS = {};

function route() {
  if (!credentials()) { showLogin(''); return; }
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const name = VIEWS[parts[0]] ? parts[0] : 'overview';
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active',
    a.dataset.tab === name || a.dataset.tab === name + 's'));
  clearInterval(state.timer);
  const view = VIEWS[name];
  const args = parts.slice(1);
  $('#view').innerHTML = '';
  delete $('#view').dataset.built; // the next skeleton() builds afresh, even for the same address
  const refresh = async () => {
    try { await view(args); updated(); } catch (e) {
      // a view left while its refresh was under way fails on its vanished elements: not worth a word
      if (e.message !== 'unauthorised' && state.refresh === refresh) status(e.message, true);
    }
  };
  state.tab = name;
  state.refresh = refresh;
  refresh();
  state.timer = setInterval(refresh, REFRESH_MS);
}
window.addEventListener('hashchange', route);

/** Creates the view's skeleton once; later refreshes only update the parts inside it. */
function skeleton(html) {
  const v = $('#view');
  if (!v.dataset.built || v.dataset.built !== location.hash) {
    v.innerHTML = html;
    v.dataset.built = location.hash;
    return true;
  }
  return false;
}

// ---- tables: sortable by header, filterable by name -------------------------------------

/**
 * Renders rows under clickable headers. Small tables sort in the page; a server-paged table
 * ({@code onSort} given) shows rows as the API sorted them and asks for a new page on a click.
 */
function table(el, key, columns, rows, onSort) {
  const sort = state.sort[key] || { col: columns[0].key, desc: false };
  const filter = onSort ? '' : (state.filter[key] || '').toLowerCase();
  const get = (row, c) => (c.value ? c.value(row) : row[c.key]);
  const shown = rows.filter(r => !filter || String(r.name ?? get(r, columns[0])).toLowerCase().includes(filter));
  const col = columns.find(c => c.key === sort.col) || columns[0];
  if (!onSort) {
    shown.sort((a, b) => {
      const x = get(a, col), y = get(b, col);
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      return sort.desc ? -cmp : cmp;
    });
  }
  const head = columns.map(c => `<th data-col="${c.key}" class="${c.num ? 'num' : ''} ${c.key === col.key
    ? 'sorted' + (sort.desc ? ' desc' : '') : ''}">${esc(c.label)}</th>`).join('');
  const body = shown.map(r => '<tr>' + columns.map(c => {
    const v = get(r, c);
    const text = c.html ? c.html(r) : esc(c.num ? fmtNum(v) : v);
    return `<td class="${c.num ? 'num' : ''}">${text}</td>`;
  }).join('') + '</tr>').join('');
  el.innerHTML = `<table><thead><tr>${head}</tr></thead><tbody>${body ||
    `<tr><td class="empty" colspan="${columns.length}">Nothing to show</td></tr>`}</tbody></table>`;
  el.querySelectorAll('th').forEach(th => th.onclick = () => {
    const c = columns.find(x => x.key === th.dataset.col);
    if (onSort && c.sort === null) return; // computed column: the API cannot sort by it
    const same = sort.col === th.dataset.col;
    state.sort[key] = { col: th.dataset.col, desc: same ? !sort.desc : false };
    if (onSort) onSort(); else table(el, key, columns, rows);
  });
}

function filterBox(key, onChange) {
  const input = document.createElement('input');
  input.placeholder = 'Filter by name';
  input.value = state.filter[key] || '';
  input.oninput = () => { state.filter[key] = input.value; onChange(); };
  return input;
}

/**
 * A live list, paged, filtered and sorted by the API (RabbitMQ's page, page_size, name, sort,
 * sort_reverse), so 10,000 queues cost the browser one page of rows.
 */
async function listView(key, title, path, columns, extra) {
  const reload = () => state.refresh && state.refresh();
  if (skeleton(`<h1>${esc(title)}</h1><div class="toolbar"></div><div class="list"></div>
      <div class="toolbar pager"><button data-step="-1">&lsaquo; Previous</button><span></span>
      <button data-step="1">Next &rsaquo;</button></div>`)) {
    $('#view .toolbar').append(filterBox(key, () => { state.page[key] = 1; reload(); }));
    if (extra) extra($('#view .toolbar'));
    $('#view .pager').querySelectorAll('button').forEach(b => b.onclick = () => {
      state.page[key] = Math.max(1, (state.page[key] || 1) + Number(b.dataset.step));
      reload();
    });
  }
  const sort = state.sort[key] || { col: columns[0].key, desc: false };
  const col = columns.find(c => c.key === sort.col) || columns[0];
  const q = new URLSearchParams({ page: state.page[key] || 1, page_size: PAGE_SIZE,
    name: state.filter[key] || '', sort: col.sort || col.key, sort_reverse: sort.desc });
  let data;
  try {
    data = await api('GET', path + '?' + q);
  } catch (e) {
    if (!/page_out_of_range|Page out of range/.test(e.message)) throw e;
    state.page[key] = 1; // the list shrank under us
    return listView(key, title, path, columns, extra);
  }
  table($('#view .list'), key, columns, data.items, reload);
  const from = data.item_count ? (data.page - 1) * data.page_size + 1 : 0;
  const to = from ? from + data.item_count - 1 : 0;
  $('#view .pager span').textContent = `${fmtNum(from)}–${fmtNum(to)} of ${fmtNum(data.filtered_count)}`
    + (data.filtered_count !== data.total_count ? ` (${fmtNum(data.total_count)} in all)` : '');
  $('#view .pager [data-step="-1"]').disabled = data.page <= 1;
  $('#view .pager [data-step="1"]').disabled = data.page >= data.page_count;
}

// ---- small shared pieces -------------------------------------------------------------------

/** Number cards: [[label, value], ...]. */
function cards(el, items) {
  el.innerHTML = items.map(([l, n]) => `<div class="card"><div class="n">${esc(typeof n === 'number'
    ? fmtNum(n) : n)}</div><div class="l">${esc(l)}</div></div>`).join('');
}

/** A two-column table of [label, value] rows; values are escaped unless given as {html}. */
function kv(el, rows) {
  el.innerHTML = rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v && v.html !== undefined ? v.html
    : esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`).join('');
}

const fmtBytes = n => {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  for (; Math.abs(n) >= 1024 && i < units.length - 1; i++) n /= 1024;
  return fmtNum(n) + ' ' + units[i];
};

const fmtDuration = ms => {
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
  const m = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
};

/** Wires a form: runs the action on submit, reports its error in the status line, refreshes the view. */
function onSubmit(form, action, keep) {
  form.onsubmit = async ev => {
    ev.preventDefault();
    try {
      const done = await action(form);
      if (!keep) form.reset();
      if (typeof done === 'string') status(done);
      if (state.refresh) state.refresh();
    } catch (e) { status(e.message, true); }
  };
}

/** A delete button: the click handler below asks, sends DELETE to the path, then refreshes or goes to `then`. */
function deleteButton(label, path, then, text = 'Delete') {
  return `<button type="button" class="danger" data-delete="${esc(path)}" data-label="${esc(label)}"${then
    ? ` data-then="${esc(then)}"` : ''}>${esc(text)}</button>`;
}

document.addEventListener('click', async ev => {
  const d = ev.target.dataset;
  if (!d || !d.delete || !confirm('Delete ' + d.label + '?')) return;
  try {
    await api('DELETE', d.delete);
    status('Deleted ' + d.label);
    if (d.then) location.hash = d.then; else if (state.refresh) state.refresh();
  } catch (e) { status(e.message, true); }
});

// ---- charts -------------------------------------------------------------------------------

const cssColor = v => getComputedStyle(document.documentElement).getPropertyValue(v).trim();

/** Samples come newest first; a level series is the samples themselves, oldest first. */
function levels(details) {
  return ((details && details.samples) || []).slice().reverse().map(s => [s.timestamp, s.sample]);
}

/** Counter samples to per-second rates between neighbouring samples. */
function rates(details) {
  const s = levels(details);
  const out = [];
  for (let i = 1; i < s.length; i++) {
    const dt = (s[i][0] - s[i - 1][0]) / 1000;
    out.push([s[i][0], dt > 0 ? Math.max(0, (s[i][1] - s[i - 1][1]) / dt) : 0]);
  }
  return out;
}

/**
 * Ten minutes of one object's values, kept in the page: Warren's API gives a queue's or exchange's
 * current depth and rates but, unlike the overview, no per-object history (ten minutes of samples
 * for every queue would cost the broker memory per queue). A series the API does sample (RabbitMQ
 * does with lengths_age/msg_rates_age) is drawn from its samples instead.
 */
function history(key, values) {
  const all = state.history || (state.history = {});
  const now = Date.now();
  const h = (all[key] || []).filter(p => p.t >= now - 600_000);
  h.push({ t: now, v: values });
  all[key] = h;
  return name => h.map(p => [p.t, p.v[name] ?? 0]);
}

/** A small line chart drawn on a canvas: time on x (last 10 minutes), shared y axis from 0. */
function chart(canvas, legend, series, unit = '') {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const padL = 48, padB = 20, padT = 8, padR = 8;
  const now = Date.now(), from = now - 600_000;
  const max = Math.max(1, ...series.flatMap(s => s.points.map(p => p[1])));
  const x = t => padL + (w - padL - padR) * (t - from) / (now - from);
  const y = v => h - padB - (h - padB - padT) * v / max;
  g.strokeStyle = '#e3e6eb'; g.fillStyle = '#6b7280'; g.font = '11px system-ui'; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4, yy = y(v);
    g.beginPath(); g.moveTo(padL, yy); g.lineTo(w - padR, yy); g.stroke();
    g.fillText(fmtNum(v) + unit, 2, yy + 4);
  }
  for (let m = 10; m >= 0; m -= 2) g.fillText(m ? `-${m}m` : 'now', x(now - m * 60_000) - 10, h - 4);
  for (const s of series) {
    const pts = s.points.filter(p => p[0] >= from);
    g.strokeStyle = s.color; g.fillStyle = s.color; g.lineWidth = 2; g.beginPath();
    pts.forEach((p, i) => (i ? g.lineTo(x(p[0]), y(p[1])) : g.moveTo(x(p[0]), y(p[1]))));
    g.stroke();
    // the newest value as a dot, so a series with one sample so far still shows
    if (pts.length) { const p = pts[pts.length - 1]; g.beginPath(); g.arc(x(p[0]), y(p[1]), 3, 0, 7); g.fill(); }
  }
  legend.innerHTML = series.map(s => {
    const last = s.points.length ? s.points[s.points.length - 1][1] : 0;
    return `<span><i></i>${esc(s.label)} ${fmtNum(last)}${unit}</span>`;
  }).join('');
  // colours set through the DOM, not style="" attributes: the content-security policy forbids inline styles
  legend.querySelectorAll('i').forEach((i, k) => { i.style.background = series[k].color; });
}

/** Markup for a chart box; draw into it with chart(). */
const chartBox = (id, title) => `<div class="chart"><h2>${esc(title)}</h2><canvas id="c-${id}"></canvas>`
  + `<div class="legend" id="l-${id}"></div></div>`;

// ---- start (after every page's script has added its views) ---------------------------------

document.addEventListener('DOMContentLoaded', () => {
  if (credentials()) {
    api('GET', '/api/whoami').then(loggedIn).catch(() => {});
  } else {
    showLogin('');
  }
});

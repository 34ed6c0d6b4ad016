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

async function api(method, path, body) {
  const headers = { 'Authorization': 'Basic ' + credentials(), 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { showLogin('Login failed'); throw new Error('unauthorised'); }
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((data && (data.reason || data.error)) || ('HTTP ' + r.status));
  return data;
}

function status(msg, isError) {
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

// admin.js adds the admin view to this table
const VIEWS = { overview: viewOverview, connections: viewConnections, channels: viewChannels,
  exchanges: viewExchanges, exchange: viewExchange, queues: viewQueues, queue: viewQueue };

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
  const refresh = async () => {
    try { await view(args); status('Updated ' + new Date().toLocaleTimeString()); } catch (e) {
      if (e.message !== 'unauthorised') status(e.message, true);
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

// ---- overview with live charts ------------------------------------------------------------

async function viewOverview() {
  if (skeleton(`<h1>Overview</h1><div class="cards"></div>
      <div class="charts">
        <div class="chart"><h2>Queued messages</h2><canvas id="c-queued"></canvas><div class="legend" id="l-queued"></div></div>
        <div class="chart"><h2>Message rates</h2><canvas id="c-rates"></canvas><div class="legend" id="l-rates"></div></div>
      </div>
      <h2>Definitions</h2>
      <div class="toolbar"><button id="defs-export">Download definitions</button>
        <input type="file" id="defs-file" accept=".json,application/json"><button id="defs-import">Upload</button></div>`)) {
    $('#defs-export').onclick = exportDefinitions;
    $('#defs-import').onclick = importDefinitions;
  }
  const o = await api('GET', '/api/overview?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5');
  const t = o.object_totals, q = o.queue_totals, m = o.message_stats;
  const cards = [['Connections', t.connections], ['Channels', t.channels], ['Queues', t.queues],
    ['Consumers', t.consumers], ['Ready', q.messages_ready], ['Unacked', q.messages_unacknowledged],
    ['Publish', fmtRate(m.publish_details)], ['Deliver', fmtRate(m.deliver_get_details)], ['Ack', fmtRate(m.ack_details)]];
  $('#view .cards').innerHTML = cards.map(([l, n]) =>
    `<div class="card"><div class="n">${esc(typeof n === 'number' ? fmtNum(n) : n)}</div><div class="l">${l}</div></div>`).join('');
  const css = getComputedStyle(document.documentElement);
  const color = v => css.getPropertyValue(v).trim();
  // the live depth ends each line, so the chart agrees with the cards between samples
  const now = Date.now();
  chart($('#c-queued'), $('#l-queued'), [
    { label: 'Ready', color: color('--ready'), points: [...levels(q.messages_ready_details), [now, q.messages_ready]] },
    { label: 'Unacked', color: color('--unacked'),
      points: [...levels(q.messages_unacknowledged_details), [now, q.messages_unacknowledged]] }]);
  chart($('#c-rates'), $('#l-rates'), [
    { label: 'Publish', color: color('--publish'), points: rates(m.publish_details) },
    { label: 'Deliver', color: color('--deliver'), points: rates(m.deliver_get_details) },
    { label: 'Ack', color: color('--ack'), points: rates(m.ack_details) }], '/s');
}

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
    g.strokeStyle = s.color; g.lineWidth = 2; g.beginPath();
    s.points.filter(p => p[0] >= from).forEach((p, i) => (i ? g.lineTo(x(p[0]), y(p[1])) : g.moveTo(x(p[0]), y(p[1]))));
    g.stroke();
  }
  legend.innerHTML = series.map(s => {
    const last = s.points.length ? s.points[s.points.length - 1][1] : 0;
    return `<span><i></i>${esc(s.label)} ${fmtNum(last)}${unit}</span>`;
  }).join('');
  // colours set through the DOM, not style="" attributes: the content-security policy forbids inline styles
  legend.querySelectorAll('i').forEach((i, k) => { i.style.background = series[k].color; });
}

async function exportDefinitions() {
  const defs = await api('GET', '/api/definitions');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([JSON.stringify(defs, null, 2)], { type: 'application/json' }));
  a.download = 'warren-definitions.json';
  a.click();
}

async function importDefinitions() {
  const file = $('#defs-file').files[0];
  if (!file) { status('Choose a definitions file first', true); return; }
  try {
    await api('POST', '/api/definitions', JSON.parse(await file.text()));
    status('Definitions imported');
  } catch (e) { status('Import failed: ' + e.message, true); }
}

// ---- lists --------------------------------------------------------------------------------

const queueLink = r => `<a href="#/queue/${enc(r.vhost)}/${enc(r.name)}">${esc(r.name)}</a>`;

function viewQueues() {
  return listView('queues', 'Queues', '/api/queues', [
    { key: 'name', label: 'Name', html: queueLink },
    { key: 'vhost', label: 'Vhost' },
    { key: 'features', label: 'Features', sort: null, value: r => [r.durable && 'D', r.auto_delete && 'AD',
      r.exclusive && 'Excl'].filter(Boolean).join(' ') },
    { key: 'state', label: 'State' },
    { key: 'messages_ready', label: 'Ready', num: true },
    { key: 'messages_unacknowledged', label: 'Unacked', num: true },
    { key: 'messages', label: 'Total', num: true },
    { key: 'consumers', label: 'Consumers', num: true },
    { key: 'in', label: 'Incoming /s', num: true, sort: 'message_stats.publish_details.rate',
      value: r => r.message_stats?.publish_details?.rate ?? 0 },
    { key: 'out', label: 'Deliver /s', num: true, sort: 'message_stats.deliver_get_details.rate',
      value: r => r.message_stats?.deliver_get_details?.rate ?? 0 }],
  bar => addQueueForm(bar));
}

function addQueueForm(bar) {
  const form = document.createElement('form');
  form.className = 'inline';
  form.innerHTML = `<input name="name" placeholder="New queue name" required>
    <label><span><input type="checkbox" name="durable" checked> durable</span></label>
    <button class="primary">Add queue</button>`;
  form.onsubmit = async ev => {
    ev.preventDefault();
    try {
      await api('PUT', `/api/queues/%2F/${enc(form.name.value)}`, { durable: form.durable.checked });
      status('Queue ' + form.name.value + ' declared');
      form.reset();
      route();
    } catch (e) { status(e.message, true); }
  };
  bar.append(form);
}

function viewExchanges() {
  return listView('exchanges', 'Exchanges', '/api/exchanges', [
    { key: 'name', label: 'Name', sort: 'name', html: r => `<a href="#/exchange/${enc(r.vhost)}/${
      enc(r.name || 'amq.default')}">${esc(r.name || '(AMQP default)')}</a>` },
    { key: 'vhost', label: 'Vhost' }, { key: 'type', label: 'Type' },
    { key: 'durable', label: 'Durable', value: r => (r.durable ? 'yes' : 'no') },
    { key: 'internal', label: 'Internal', value: r => (r.internal ? 'yes' : '') }]);
}

function viewConnections() {
  return listView('connections', 'Connections', '/api/connections', [
    { key: 'name', label: 'Name' },
    { key: 'user_provided_name', label: 'Client name' },
    { key: 'user', label: 'User' }, { key: 'vhost', label: 'Vhost' }, { key: 'state', label: 'State' },
    { key: 'channels', label: 'Channels', num: true },
    { key: 'product', label: 'Client', sort: 'client_properties.product',
      value: r => [r.client_properties?.product, r.client_properties?.version].filter(Boolean).join(' ') },
    { key: 'close', label: '', sort: null,
      html: r => `<button class="danger" data-close="${esc(r.name)}">Close</button>` }]);
}

document.addEventListener('click', async ev => {
  const name = ev.target.dataset && ev.target.dataset.close;
  if (!name || !confirm('Close connection ' + name + '?')) return;
  try {
    await api('DELETE', '/api/connections/' + enc(name));
    status('Closed ' + name);
  } catch (e) { status(e.message, true); }
});

function viewChannels() {
  return listView('channels', 'Channels', '/api/channels', [
    { key: 'name', label: 'Channel' }, { key: 'user', label: 'User' }, { key: 'vhost', label: 'Vhost' },
    { key: 'mode', label: 'Mode', sort: 'confirm', value: r => (r.confirm ? 'C' : '') + (r.transactional ? 'T' : '') },
    { key: 'prefetch_count', label: 'Prefetch', num: true },
    { key: 'consumer_count', label: 'Consumers', num: true },
    { key: 'messages_unacknowledged', label: 'Unacked', num: true }]);
}

// ---- one exchange: details, bindings both ways, publish ----------------------------------------

async function viewExchange([vhost, name]) {
  const path = `/api/exchanges/${enc(vhost)}/${enc(name)}`;
  if (skeleton(`<h1>Exchange ${esc(name)} <small>(vhost ${esc(vhost)})</small></h1>
      <table class="kv" id="x-details"></table>
      <h2>Bindings from this exchange</h2><div id="x-source"></div>
      <h2>Bindings to this exchange</h2><div id="x-dest"></div>
      <h2>Publish message</h2>
      <form class="inline" id="x-publish"><label>Routing key <input name="rk"></label>
        <label>Payload <textarea name="payload" rows="2" cols="40"></textarea></label>
        <button class="primary">Publish</button></form>`)) {
    $('#x-publish').onsubmit = async ev => {
      ev.preventDefault();
      const f = ev.target;
      try {
        const r = await api('POST', path + '/publish', { properties: {}, routing_key: f.rk.value,
          payload: f.payload.value, payload_encoding: 'string' });
        status(r.routed ? 'Message published' : 'Message published but not routed', !r.routed);
      } catch (e) { status(e.message, true); }
    };
  }
  const [x, src, dst] = await Promise.all([api('GET', path), api('GET', path + '/bindings/source'),
    api('GET', path + '/bindings/destination')]);
  $('#x-details').innerHTML = [['Type', x.type], ['Durable', x.durable], ['Auto delete', x.auto_delete],
    ['Internal', x.internal], ['Arguments', JSON.stringify(x.arguments)]]
    .map(([k, v]) => `<tr><td>${k}</td><td>${esc(v)}</td></tr>`).join('');
  const bindingColumns = other => [{ key: other, label: other === 'source' ? 'From' : 'To',
    html: r => (r.destination_type === 'queue' && other === 'destination'
      ? `<a href="#/queue/${enc(vhost)}/${enc(r.destination)}">${esc(r.destination)}</a>` : esc(r[other])) },
  { key: 'routing_key', label: 'Routing key' }, { key: 'arguments', label: 'Arguments',
    value: r => JSON.stringify(r.arguments) }];
  table($('#x-source'), 'x-source', bindingColumns('destination'), src);
  table($('#x-dest'), 'x-dest', bindingColumns('source'), dst);
}

// ---- one queue: details, bindings, consumers, publish, get, purge, delete -------------------

async function viewQueue([vhost, name]) {
  const path = `/api/queues/${enc(vhost)}/${enc(name)}`;
  if (skeleton(`<h1>Queue ${esc(name)} <small>(vhost ${esc(vhost)})</small></h1>
      <div class="cards" id="q-cards"></div>
      <h2>Details</h2><table class="kv" id="q-details"></table>
      <h2>Consumers</h2><div id="q-consumers"></div>
      <h2>Bindings</h2><div id="q-bindings"></div>
      <h2>Publish message</h2>
      <form class="inline" id="q-publish"><label>Payload <textarea name="payload" rows="2" cols="40"></textarea></label>
        <label>Content type <input name="ct" placeholder="text/plain"></label>
        <label>Delivery mode <select name="dm"><option value="1">1 - transient</option><option value="2">2 - persistent</option></select></label>
        <button class="primary">Publish</button></form>
      <h2>Get messages</h2>
      <form class="inline" id="q-get"><label>Count <input name="count" type="number" value="1" min="1" max="100"></label>
        <label>Ack mode <select name="ackmode"><option value="ack_requeue_true">Nack, requeue</option>
          <option value="ack_requeue_false">Ack, remove</option><option value="reject_requeue_true">Reject, requeue</option></select></label>
        <label>Encoding <select name="encoding"><option value="auto">Auto string/base64</option><option value="base64">base64</option></select></label>
        <button>Get</button></form>
      <div id="q-messages"></div>
      <h2>Danger zone</h2>
      <div class="toolbar"><button class="danger" id="q-purge">Purge messages</button>
        <button class="danger" id="q-delete">Delete queue</button></div>`)) {
    $('#q-publish').onsubmit = ev => queuePublish(ev, vhost, name);
    $('#q-get').onsubmit = ev => queueGet(ev, path);
    $('#q-purge').onclick = async () => {
      if (!confirm('Purge all ready messages of ' + name + '?')) return;
      await api('DELETE', path + '/contents'); status('Purged ' + name);
    };
    $('#q-delete').onclick = async () => {
      if (!confirm('Delete queue ' + name + '?')) return;
      await api('DELETE', path); location.hash = '#/queues';
    };
  }
  const [q, bindings, consumers] = await Promise.all([api('GET', path), api('GET', path + '/bindings'),
    api('GET', '/api/consumers/' + enc(vhost))]);
  $('#q-cards').innerHTML = [['Ready', q.messages_ready], ['Unacked', q.messages_unacknowledged],
    ['Total', q.messages], ['Consumers', q.consumers]].map(([l, n]) =>
    `<div class="card"><div class="n">${fmtNum(n)}</div><div class="l">${l}</div></div>`).join('');
  $('#q-details').innerHTML = [['Durable', q.durable], ['Auto delete', q.auto_delete], ['Exclusive', q.exclusive],
    ['State', q.state], ['Arguments', JSON.stringify(q.arguments)], ['Ready bytes', fmtNum(q.message_bytes_ready)]]
    .map(([k, v]) => `<tr><td>${k}</td><td>${esc(v)}</td></tr>`).join('');
  table($('#q-consumers'), 'q-consumers', [{ key: 'consumer_tag', label: 'Tag' },
    { key: 'channel', label: 'Channel', value: r => r.channel_details.name },
    { key: 'ack_required', label: 'Ack required', value: r => String(r.ack_required) },
    { key: 'prefetch_count', label: 'Prefetch', num: true }],
  consumers.filter(c => c.queue.name === name));
  table($('#q-bindings'), 'q-bindings', [{ key: 'source', label: 'From', value: r => r.source || '(default exchange)' },
    { key: 'routing_key', label: 'Routing key' }, { key: 'arguments', label: 'Arguments',
      value: r => JSON.stringify(r.arguments) }], bindings);
}

async function queuePublish(ev, vhost, name) {
  ev.preventDefault();
  const f = ev.target;
  const properties = { delivery_mode: Number(f.dm.value) };
  if (f.ct.value) properties.content_type = f.ct.value;
  try {
    const r = await api('POST', `/api/exchanges/${enc(vhost)}/amq.default/publish`,
      { properties, routing_key: name, payload: f.payload.value, payload_encoding: 'string' });
    status(r.routed ? 'Message published' : 'Message published but not routed', !r.routed);
  } catch (e) { status(e.message, true); }
}

async function queueGet(ev, path) {
  ev.preventDefault();
  const f = ev.target;
  try {
    const msgs = await api('POST', path + '/get',
      { count: Number(f.count.value), ackmode: f.ackmode.value, encoding: f.encoding.value, truncate: 50000 });
    $('#q-messages').innerHTML = msgs.length ? msgs.map((m, i) => `<div class="msg"><b>Message ${i + 1}</b>
      — routing key ${esc(m.routing_key)}, exchange ${esc(m.exchange || '(default)')}, redelivered ${m.redelivered},
      ${m.payload_bytes} bytes (${esc(m.payload_encoding)}), ${m.message_count} left
      <div>Properties: ${esc(JSON.stringify(m.properties))}</div><pre class="payload">${esc(m.payload)}</pre></div>`).join('')
      : '<p class="empty">Queue is empty</p>';
  } catch (e) { status(e.message, true); }
}

// ---- start --------------------------------------------------------------------------------

if (credentials()) {
  api('GET', '/api/whoami').then(loggedIn).catch(() => {});
} else {
  showLogin('');
}

// Warren dashboard, overview page: totals, live charts, the node panel and definitions.
'use strict';

VIEWS.overview = async function viewOverview() {
  if (skeleton(`<h1>Overview</h1><div class="cards" id="o-cards"></div>
      <div class="charts">${chartBox('queued', 'Queued messages')}${chartBox('rates', 'Message rates')}</div>
      <h2>Node</h2><div id="node-panel"></div>
      <h2>Definitions</h2>
      <div class="toolbar"><button id="defs-export">Download definitions</button>
        <input type="file" id="defs-file" accept=".json,application/json"><button id="defs-import">Upload</button></div>`)) {
    $('#defs-export').onclick = exportDefinitions;
    $('#defs-import').onclick = importDefinitions;
  }
  const o = await api('GET', '/api/overview?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5');
  const t = o.object_totals, q = o.queue_totals, m = o.message_stats;
  cards($('#o-cards'), [['Connections', t.connections], ['Channels', t.channels], ['Queues', t.queues],
    ['Consumers', t.consumers], ['Ready', q.messages_ready], ['Unacked', q.messages_unacknowledged],
    ['Publish', fmtRate(m.publish_details)], ['Deliver', fmtRate(m.deliver_get_details)], ['Ack', fmtRate(m.ack_details)]]);
  // the live depth ends each line, so the chart agrees with the cards between samples
  const now = Date.now();
  chart($('#c-queued'), $('#l-queued'), [
    { label: 'Ready', color: cssColor('--ready'), points: [...levels(q.messages_ready_details), [now, q.messages_ready]] },
    { label: 'Unacked', color: cssColor('--unacked'),
      points: [...levels(q.messages_unacknowledged_details), [now, q.messages_unacknowledged]] }]);
  chart($('#c-rates'), $('#l-rates'), [
    { label: 'Publish', color: cssColor('--publish'), points: rates(m.publish_details) },
    { label: 'Deliver', color: cssColor('--deliver'), points: rates(m.deliver_get_details) },
    { label: 'Ack', color: cssColor('--ack'), points: rates(m.ack_details) }], '/s');
  await nodePanel($('#node-panel'), o);
};

/**
 * Version, uptime, memory and disk against their alarm levels, file descriptors, listeners. Node
 * details are for monitoring and administrator users (RabbitMQ's rule): others see the version only.
 */
async function nodePanel(el, o) {
  let n = null;
  try {
    n = (await api('GET', '/api/nodes')).find(x => x.name === o.node); // this node: in a cluster there are more
  } catch (e) {
    if (e.message === 'unauthorised') throw e;
  }
  if (!el.dataset.built) {
    el.innerHTML = `<div class="node"><table class="kv" id="n-info"></table><div class="gauges" id="n-gauges"></div></div>
      <h2>Listeners</h2><div id="n-listeners"></div>`;
    el.dataset.built = '1';
  }
  kv($('#n-info'), [['Node', o.node], ['Product', `${o.product_name} ${o.product_version}`],
    ['RabbitMQ API', o.rabbitmq_version], ['Java', o.java_version],
    ...(n ? [['Uptime', fmtDuration(n.uptime)], ['Processors', n.processors], ['OS pid', n.os_pid],
      ['Data directory', n.db_dir]] : [])]);
  const gauges = $('#n-gauges');
  gauges.innerHTML = '';
  if (n) {
    gauges.append(gauge('Memory', n.mem_used, n.mem_limit, n.mem_alarm, fmtBytes,
      `${fmtBytes(n.mem_used)} of ${fmtBytes(n.mem_limit)} high watermark`));
    // disk: the alarm is raised when free space falls UNDER the limit
    gauges.append(gauge('Disk free', n.disk_free, n.disk_free_limit, n.disk_free_alarm, fmtBytes,
      `${fmtBytes(n.disk_free)} free, alarm under ${fmtBytes(n.disk_free_limit)}`, true));
    if (n.fd_total) {
      gauges.append(gauge('File descriptors', n.fd_used, n.fd_total, false, fmtNum,
        `${fmtNum(n.fd_used)} of ${fmtNum(n.fd_total)}`));
    }
    gauges.append(gauge('Connections', n.sockets_used, 0, false, fmtNum, `${fmtNum(n.sockets_used)} sockets`));
  }
  table($('#n-listeners'), 'n-listeners', [{ key: 'node', label: 'Node' }, { key: 'protocol', label: 'Protocol' },
    { key: 'ip_address', label: 'Bound to' }, { key: 'port', label: 'Port', value: r => r.port }],
  o.listeners || []);
}

/** One labelled bar: used against a limit, red when its alarm is on. */
function gauge(label, used, limit, alarm, fmt, text, inverse) {
  const g = document.createElement('div');
  g.className = 'gauge' + (alarm ? ' alarm' : '');
  g.dataset.gauge = label;
  g.innerHTML = `<div class="l">${esc(label)}${alarm ? ' <b>ALARM</b>' : ''}</div><div class="bar"><i></i></div>`
    + `<div class="t">${esc(text)}</div>`;
  if (limit > 0) {
    // a disk bar shows how close free space is to the limit: full when free space is at the limit
    const frac = inverse ? Math.min(1, limit / Math.max(1, used)) : Math.min(1, used / limit);
    g.querySelector('.bar i').style.width = (frac * 100).toFixed(1) + '%';
  }
  return g;
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

// Warren dashboard, list pages: queues, exchanges, connections, channels; forms to add queues and exchanges.
'use strict';

const queueLink = r => `<a href="#/queue/${enc(r.vhost)}/${enc(r.name)}">${esc(r.name)}</a>`;
const connectionLink = name => `<a href="#/connection/${enc(name)}">${esc(name)}</a>`;
const channelLink = name => `<a href="#/channel/${enc(name)}">${esc(name)}</a>`;

VIEWS.queues = function viewQueues() {
  return listView('queues', 'Queues', '/api/queues', [
    { key: 'name', label: 'Name', html: queueLink },
    { key: 'vhost', label: 'Vhost' },
    { key: 'type', label: 'Type' },
    { key: 'node', label: 'Node', html: queueNode },
    { key: 'features', label: 'Features', sort: null, value: r => [r.durable && 'D', r.auto_delete && 'AD',
      r.exclusive && 'Excl', r.policy && 'Pol:' + r.policy].filter(Boolean).join(' ') },
    { key: 'state', label: 'State' },
    { key: 'messages_ready', label: 'Ready', num: true },
    { key: 'messages_unacknowledged', label: 'Unacked', num: true },
    { key: 'messages', label: 'Total', num: true },
    { key: 'consumers', label: 'Consumers', num: true },
    { key: 'in', label: 'Incoming /s', num: true, sort: 'message_stats.publish_details.rate',
      value: r => r.message_stats?.publish_details?.rate ?? 0 },
    { key: 'out', label: 'Deliver /s', num: true, sort: 'message_stats.deliver_get_details.rate',
      value: r => r.message_stats?.deliver_get_details?.rate ?? 0 }],
  bar => bar.after(addQueueForm()));
};

/**
 * Where a queue runs: a quorum queue's leader and "+N" for its other members (as RabbitMQ's list
 * shows it; the members are in the tooltip, those the answering node cannot vouch for marked),
 * other queues their node.
 */
function queueNode(r) {
  if (r.type !== 'quorum') return esc(r.node || '');
  const members = r.members || [];
  const online = new Set(r.online || []);
  const others = members.filter(m => m !== r.leader);
  const title = members.map(m => m + (online.has(m) || !r.online ? '' : ' (not known to answer)')).join(', ');
  return `<span title="${esc('members: ' + title)}">${r.leader ? esc(r.leader) : '<em>no leader</em>'}`
    + (others.length ? ` <span class="muted">+${others.length}</span>` : '') + '</span>';
}

/** Declares a queue with vhost, type, flags and arguments (RabbitMQ's x-queue-type carries the type). */
function addQueueForm() {
  const box = document.createElement('details');
  box.innerHTML = `<summary>Add a queue</summary><form class="inline" id="add-queue">
    <label>Vhost <select name="vhost"></select></label>
    <label>Name <input name="name" required></label>
    <label>Type <select name="type"><option>classic</option><option>quorum</option><option>stream</option></select></label>
    <label>Durability <select name="durable"><option value="true">durable</option><option value="false">transient</option></select></label>
    <label>Auto delete <select name="ad"><option value="false">no</option><option value="true">yes</option></select></label>
    <div class="field">Arguments <div class="args-box"></div></div>
    <button class="primary">Add queue</button></form>`;
  const form = box.querySelector('form');
  const args = argsEditor(box.querySelector('.args-box'));
  box.addEventListener('toggle', () => fillVhosts(box).catch(e => status(e.message, true)));
  onSubmit(form, async f => {
    const a = args.read();
    if (f.type.value !== 'classic') a['x-queue-type'] = f.type.value;
    await api('PUT', `/api/queues/${enc(f.vhost.value)}/${enc(f.name.value)}`,
      { durable: f.durable.value === 'true', auto_delete: f.ad.value === 'true', arguments: a });
    args.set({});
    return `Queue ${f.name.value} declared in ${f.vhost.value}`;
  });
  return box;
}

VIEWS.exchanges = function viewExchanges() {
  return listView('exchanges', 'Exchanges', '/api/exchanges', [
    { key: 'name', label: 'Name', sort: 'name', html: r => `<a href="#/exchange/${enc(r.vhost)}/${
      enc(r.name || 'amq.default')}">${esc(r.name || '(AMQP default)')}</a>` },
    { key: 'vhost', label: 'Vhost' }, { key: 'type', label: 'Type' },
    { key: 'durable', label: 'Durable', value: r => (r.durable ? 'yes' : 'no') },
    { key: 'auto_delete', label: 'Auto delete', value: r => (r.auto_delete ? 'yes' : '') },
    { key: 'internal', label: 'Internal', value: r => (r.internal ? 'yes' : '') },
    { key: 'in', label: 'In /s', num: true, sort: 'message_stats.publish_in_details.rate',
      value: r => r.message_stats?.publish_in_details?.rate ?? 0 },
    { key: 'out', label: 'Out /s', num: true, sort: 'message_stats.publish_out_details.rate',
      value: r => r.message_stats?.publish_out_details?.rate ?? 0 }],
  bar => bar.after(addExchangeForm()));
};

function addExchangeForm() {
  const box = document.createElement('details');
  box.innerHTML = `<summary>Add an exchange</summary><form class="inline" id="add-exchange">
    <label>Vhost <select name="vhost"></select></label>
    <label>Name <input name="name" required></label>
    <label>Type <select name="type"><option>direct</option><option>fanout</option><option>topic</option>
      <option>headers</option></select></label>
    <label>Durability <select name="durable"><option value="true">durable</option><option value="false">transient</option></select></label>
    <label>Auto delete <select name="ad"><option value="false">no</option><option value="true">yes</option></select></label>
    <label>Internal <select name="internal"><option value="false">no</option><option value="true">yes</option></select></label>
    <div class="field">Arguments <div class="args-box"></div></div>
    <button class="primary">Add exchange</button></form>`;
  const form = box.querySelector('form');
  const args = argsEditor(box.querySelector('.args-box'));
  box.addEventListener('toggle', () => fillVhosts(box).catch(e => status(e.message, true)));
  onSubmit(form, async f => {
    await api('PUT', `/api/exchanges/${enc(f.vhost.value)}/${enc(f.name.value)}`, { type: f.type.value,
      durable: f.durable.value === 'true', auto_delete: f.ad.value === 'true', internal: f.internal.value === 'true',
      arguments: args.read() });
    args.set({});
    return `Exchange ${f.name.value} declared in ${f.vhost.value}`;
  });
  return box;
}

VIEWS.connections = function viewConnections() {
  return listView('connections', 'Connections', '/api/connections', [
    { key: 'name', label: 'Name', html: r => connectionLink(r.name) },
    { key: 'user_provided_name', label: 'Client name' },
    { key: 'user', label: 'User' }, { key: 'vhost', label: 'Vhost' }, { key: 'protocol', label: 'Protocol' },
    { key: 'state', label: 'State' }, { key: 'channels', label: 'Channels', num: true },
    { key: 'product', label: 'Client', sort: 'client_properties.product',
      value: r => [r.client_properties?.product, r.client_properties?.version].filter(Boolean).join(' ') },
    { key: 'close', label: '', sort: null,
      html: r => `<button class="danger" data-close="${esc(r.name)}">Close</button>` }]);
};

/** Close buttons anywhere: data-close names the connection; data-then is where to go afterwards. */
document.addEventListener('click', async ev => {
  const d = ev.target.dataset;
  if (!d || !d.close) return;
  const reason = prompt('Close connection ' + d.close + '? Reason sent to the client:', 'Closed via management plugin');
  if (reason === null) return;
  try {
    await api('DELETE', '/api/connections/' + enc(d.close), undefined, { 'X-Reason': reason });
    status('Closed ' + d.close);
    if (d.then) location.hash = d.then; else if (state.refresh) state.refresh();
  } catch (e) { status(e.message, true); }
});

VIEWS.channels = function viewChannels() {
  return listView('channels', 'Channels', '/api/channels', [
    { key: 'name', label: 'Channel', html: r => channelLink(r.name) }, { key: 'user', label: 'User' },
    { key: 'vhost', label: 'Vhost' },
    { key: 'mode', label: 'Mode', sort: 'confirm', value: r => (r.confirm ? 'C' : '') + (r.transactional ? 'T' : '') },
    { key: 'state', label: 'State' },
    { key: 'prefetch_count', label: 'Prefetch', num: true },
    { key: 'consumer_count', label: 'Consumers', num: true },
    { key: 'messages_unacknowledged', label: 'Unacked', num: true }]);
};

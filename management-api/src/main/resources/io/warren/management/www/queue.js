// Warren dashboard, one queue: depth and rate charts, details, consumers, bindings both ways,
// publish, get with ack mode, purge, delete.
'use strict';

VIEWS.queue = async function viewQueue([vhost, name]) {
  const path = `/api/queues/${enc(vhost)}/${enc(name)}`;
  if (skeleton(`<h1>Queue ${esc(name)} <small>(vhost ${esc(vhost)})</small></h1>
      <div class="cards" id="q-cards"></div>
      <div class="charts">${chartBox('q-depth', 'Queued messages')}${chartBox('q-rates', 'Message rates')}</div>
      <h2>Details</h2><table class="kv" id="q-details"></table>
      <h2>Consumers</h2><div id="q-consumers"></div>
      <h2>Bindings</h2><div id="q-bindings"></div>
      <form class="inline" id="q-bind"></form>
      <h2>Publish message</h2>
      <form class="inline" id="q-publish"><label>Payload <textarea name="payload" rows="2" cols="40"></textarea></label>
        <label>Content type <input name="ct" placeholder="text/plain"></label>
        <label>Delivery mode <select name="dm"><option value="1">1 - transient</option><option value="2">2 - persistent</option></select></label>
        <div class="field">Headers <div class="args-box"></div></div>
        <button class="primary">Publish</button></form>
      <h2>Get messages</h2>
      <form class="inline" id="q-get"><label>Count <input name="count" type="number" value="1" min="1" max="100"></label>
        <label>Ack mode <select name="ackmode"><option value="ack_requeue_true">Nack, requeue</option>
          <option value="ack_requeue_false">Ack, remove</option><option value="reject_requeue_true">Reject, requeue</option>
          <option value="reject_requeue_false">Reject, remove</option></select></label>
        <label>Encoding <select name="encoding"><option value="auto">Auto string/base64</option><option value="base64">base64</option></select></label>
        <button>Get</button></form>
      <div id="q-messages"></div>
      <h2>Danger zone</h2>
      <div class="toolbar"><button class="danger" id="q-purge">Purge messages</button>
        ${deleteButton('queue ' + name, path, '#/queues', 'Delete queue')}</div>`)) {
    const headers = argsEditor($('#q-publish .args-box'));
    onSubmit($('#q-publish'), f => queuePublish(f, vhost, name, headers.read()), true);
    onSubmit($('#q-get'), f => queueGet(f, path), true);
    bindingForm($('#q-bind'), { vhost, name, kind: 'q' }, 'in');
    $('#q-purge').onclick = async () => {
      if (!confirm('Purge all ready messages of ' + name + '?')) return;
      try {
        await api('DELETE', path + '/contents');
        status('Purged ' + name);
        state.refresh();
      } catch (e) { status(e.message, true); }
    };
  }
  const [q, bindings, consumers] = await Promise.all([
    api('GET', path + '?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5'),
    api('GET', path + '/bindings'), api('GET', '/api/consumers/' + enc(vhost))]);
  const stats = q.message_stats || {};
  cards($('#q-cards'), [['Ready', q.messages_ready], ['Unacked', q.messages_unacknowledged],
    ['Total', q.messages], ['Consumers', q.consumers], ['Incoming', fmtRate(stats.publish_details)],
    ['Deliver / get', fmtRate(stats.deliver_get_details)]]);
  queueCharts(q, vhost, name);
  kv($('#q-details'), [['Type', q.type], ['Durable', q.durable], ['Auto delete', q.auto_delete],
    ['Exclusive', q.exclusive], ['State', q.state], ['Policy', q.policy || ''],
    ['Effective policy', q.effective_policy_definition || {}], ['Arguments', q.arguments],
    ['Ready bytes', fmtBytes(q.message_bytes_ready)], ['Total bytes', fmtBytes(q.message_bytes)]]
    .concat(q.segments === undefined ? [] : [['Segments', q.segments]]) // streams only
    .concat(q.type !== 'quorum' ? [] : [['Leader', q.leader || '(electing)'],
      ['Members', { html: memberList(q) }]]));
  table($('#q-consumers'), 'q-consumers', [{ key: 'consumer_tag', label: 'Tag' },
    { key: 'channel', label: 'Channel', html: r => channelLink(r.channel_details.name) },
    { key: 'ack_required', label: 'Ack required', value: r => String(r.ack_required) },
    { key: 'prefetch_count', label: 'Prefetch', num: true }],
  consumers.filter(c => c.queue.name === name));
  table($('#q-bindings'), 'q-bindings', bindingColumns(vhost, 'source'), bindings);
};

/** A quorum queue's members: the leader marked, those the answering node cannot reach marked too. */
function memberList(q) {
  const online = new Set(q.online || []);
  return (q.members || []).map(m => esc(m) + (m === q.leader ? ' <span class="muted">(leader)</span>'
    : online.has(m) ? '' : ' <span class="muted">(not known to answer)</span>')).join(', ');
}

/** Depth from the API's samples when it gives them (RabbitMQ), otherwise from what this page has seen. */
function queueCharts(q, vhost, name) {
  const stats = q.message_stats || {};
  const seen = history(`queue/${vhost}/${name}`, { ready: q.messages_ready, unacked: q.messages_unacknowledged,
    publish: stats.publish_details?.rate, deliver: stats.deliver_get_details?.rate });
  const level = (details, key) => (details?.samples ? levels(details) : seen(key));
  const rate = (details, key) => (details?.samples ? rates(details) : seen(key));
  chart($('#c-q-depth'), $('#l-q-depth'), [
    { label: 'Ready', color: cssColor('--ready'), points: level(q.messages_ready_details, 'ready') },
    { label: 'Unacked', color: cssColor('--unacked'), points: level(q.messages_unacknowledged_details, 'unacked') }]);
  chart($('#c-q-rates'), $('#l-q-rates'), [
    { label: 'Publish', color: cssColor('--publish'), points: rate(stats.publish_details, 'publish') },
    { label: 'Deliver / get', color: cssColor('--deliver'), points: rate(stats.deliver_get_details, 'deliver') }], '/s');
}

async function queuePublish(f, vhost, name, headers) {
  const properties = { delivery_mode: Number(f.dm.value), headers };
  if (f.ct.value) properties.content_type = f.ct.value;
  const r = await api('POST', `/api/exchanges/${enc(vhost)}/amq.default/publish`,
    { properties, routing_key: name, payload: f.payload.value, payload_encoding: 'string' });
  if (!r.routed) throw new Error('Message published but not routed');
  return 'Message published';
}

async function queueGet(f, path) {
  const msgs = await api('POST', path + '/get',
    { count: Number(f.count.value), ackmode: f.ackmode.value, encoding: f.encoding.value, truncate: 50000 });
  $('#q-messages').innerHTML = msgs.length ? msgs.map((m, i) => `<div class="msg"><b>Message ${i + 1}</b>
    — routing key ${esc(m.routing_key)}, exchange ${esc(m.exchange || '(default)')}, redelivered ${m.redelivered},
    ${m.payload_bytes} bytes (${esc(m.payload_encoding)}), ${m.message_count} left
    <div>Properties: ${esc(JSON.stringify(m.properties))}</div><pre class="payload">${esc(m.payload)}</pre></div>`).join('')
    : '<p class="empty">Queue is empty</p>';
  return `Got ${msgs.length} message(s)`;
}

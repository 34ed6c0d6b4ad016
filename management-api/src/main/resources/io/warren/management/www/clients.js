// Warren dashboard, one connection and one channel: details, channels, consumers, close.
'use strict';

const closeButton = (conn, text) => `<button class="danger" data-close="${esc(conn)}" data-then="#/connections">${
  esc(text)}</button>`;

VIEWS.connection = async function viewConnection([name]) {
  const path = '/api/connections/' + enc(name);
  if (skeleton(`<h1>Connection ${esc(name)}</h1>
      <div class="toolbar">${closeButton(name, 'Close this connection')}</div>
      <h2>Details</h2><table class="kv" id="c-details"></table>
      <h2>Client properties</h2><table class="kv" id="c-client"></table>
      <h2>Channels</h2><div id="c-channels"></div>`)) {
    // nothing to wire: the close button is handled by lists.js
  }
  const [c, channels] = await Promise.all([api('GET', path), api('GET', path + '/channels')]);
  kv($('#c-details'), [['User', c.user], ['Vhost', c.vhost], ['State', c.state], ['Protocol', c.protocol],
    ['Client address', `${c.peer_host}:${c.peer_port}`], ['Broker address', `${c.host}:${c.port}`],
    ['TLS', c.ssl], ['Authentication', c.auth_mechanism], ['Heartbeat (s)', c.timeout], ['Frame max', c.frame_max],
    ['Channel max', c.channel_max], ['Connected at', c.connected_at ? new Date(c.connected_at).toLocaleString() : ''],
    ['Client name', c.user_provided_name || ''], ['Channels', c.channels]]);
  const props = c.client_properties || {};
  kv($('#c-client'), Object.keys(props).sort().map(k => [k, props[k]]));
  table($('#c-channels'), 'c-channels', [{ key: 'name', label: 'Channel', html: r => channelLink(r.name) },
    { key: 'number', label: 'Number', num: true },
    { key: 'mode', label: 'Mode', value: r => (r.confirm ? 'C' : '') + (r.transactional ? 'T' : '') },
    { key: 'state', label: 'State' }, { key: 'prefetch_count', label: 'Prefetch', num: true },
    { key: 'consumer_count', label: 'Consumers', num: true },
    { key: 'messages_unacknowledged', label: 'Unacked', num: true }], channels);
};

VIEWS.channel = async function viewChannel([name]) {
  const path = '/api/channels/' + enc(name);
  const ch = await api('GET', path);
  const conn = ch.connection_details?.name || '';
  if (skeleton(`<h1>Channel ${esc(name)}</h1>
      <div class="toolbar">${closeButton(conn, 'Close its connection')}
        <span class="hint">AMQP has the broker close connections, not single channels</span></div>
      <h2>Details</h2><table class="kv" id="ch-details"></table>
      <h2>Consumers</h2><div id="ch-consumers"></div>`)) {
    // the close button is handled by lists.js
  }
  kv($('#ch-details'), [['Connection', { html: connectionLink(conn) }], ['Number', ch.number], ['User', ch.user],
    ['Vhost', ch.vhost], ['State', ch.state], ['Confirm mode', ch.confirm], ['Transactional', ch.transactional],
    ['Prefetch (consumer)', ch.prefetch_count], ['Prefetch (channel)', ch.global_prefetch_count],
    ['Unacked', ch.messages_unacknowledged], ['Unconfirmed', ch.messages_unconfirmed],
    ['Uncommitted', ch.messages_uncommitted]]);
  const consumers = ch.consumer_details
    || (await api('GET', '/api/consumers/' + enc(ch.vhost))).filter(c => c.channel_details?.name === name);
  table($('#ch-consumers'), 'ch-consumers', [{ key: 'consumer_tag', label: 'Tag' },
    { key: 'queue', label: 'Queue', html: r => queueLink(r.queue) },
    { key: 'ack_required', label: 'Ack required', value: r => String(r.ack_required) },
    { key: 'exclusive', label: 'Exclusive', value: r => String(r.exclusive) },
    { key: 'prefetch_count', label: 'Prefetch', num: true }], consumers);
};

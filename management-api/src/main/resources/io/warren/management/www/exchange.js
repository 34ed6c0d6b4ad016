// Warren dashboard, one exchange: rate charts, details, bindings both ways with forms, publish, delete.
'use strict';

VIEWS.exchange = async function viewExchange([vhost, name]) {
  const path = `/api/exchanges/${enc(vhost)}/${enc(name)}`;
  const isDefault = name === 'amq.default';
  if (skeleton(`<h1>Exchange ${esc(name)} <small>(vhost ${esc(vhost)})</small></h1>
      <div class="charts">${chartBox('x-rates', 'Message rates')}</div>
      <h2>Details</h2><table class="kv" id="x-details"></table>
      <h2>Bindings from this exchange</h2><div id="x-source"></div>
      <form class="inline" id="x-bind-out"></form>
      <h2>Bindings to this exchange</h2><div id="x-dest"></div>
      <form class="inline" id="x-bind-in"></form>
      <h2>Publish message</h2>
      <form class="inline" id="x-publish"><label>Routing key <input name="rk"></label>
        <label>Payload <textarea name="payload" rows="2" cols="40"></textarea></label>
        <label>Delivery mode <select name="dm"><option value="1">1 - transient</option><option value="2">2 - persistent</option></select></label>
        <div class="field">Headers <div class="args-box"></div></div>
        <button class="primary">Publish</button></form>
      ${isDefault || name.startsWith('amq.') ? '' : `<h2>Danger zone</h2>
        <div class="toolbar">${deleteButton('exchange ' + name, path, '#/exchanges', 'Delete exchange')}</div>`}`)) {
    const headers = argsEditor($('#x-publish .args-box'));
    onSubmit($('#x-publish'), async f => {
      const r = await api('POST', path + '/publish', { properties: { delivery_mode: Number(f.dm.value),
        headers: headers.read() }, routing_key: f.rk.value, payload: f.payload.value, payload_encoding: 'string' });
      if (!r.routed) throw new Error('Message published but not routed');
      return 'Message published';
    }, true);
    if (isDefault) {
      $('#x-bind-out').remove(); $('#x-bind-in').remove(); // the default exchange's bindings are implicit
    } else {
      bindingForm($('#x-bind-out'), { vhost, name, kind: 'e' }, 'out');
      bindingForm($('#x-bind-in'), { vhost, name, kind: 'e' }, 'in');
    }
  }
  const [x, src, dst] = await Promise.all([api('GET', path + '?msg_rates_age=600&msg_rates_incr=5'),
    api('GET', path + '/bindings/source'), api('GET', path + '/bindings/destination')]);
  exchangeCharts(x, vhost, name);
  kv($('#x-details'), [['Type', x.type], ['Durable', x.durable], ['Auto delete', x.auto_delete],
    ['Internal', x.internal], ['Policy', x.policy || ''], ['Arguments', x.arguments]]);
  table($('#x-source'), 'x-source', bindingColumns(vhost, 'destination'), src);
  table($('#x-dest'), 'x-dest', bindingColumns(vhost, 'source'), dst);
};

/** publish_in (messages published to it) and publish_out (messages it routed on), RabbitMQ's names. */
function exchangeCharts(x, vhost, name) {
  const stats = x.message_stats || {};
  const seen = history(`exchange/${vhost}/${name}`, { in: stats.publish_in_details?.rate,
    out: stats.publish_out_details?.rate });
  const rate = (details, key) => (details?.samples ? rates(details) : seen(key));
  chart($('#c-x-rates'), $('#l-x-rates'), [
    { label: 'Publish in', color: cssColor('--publish'), points: rate(stats.publish_in_details, 'in') },
    { label: 'Publish out', color: cssColor('--deliver'), points: rate(stats.publish_out_details, 'out') }], '/s');
}

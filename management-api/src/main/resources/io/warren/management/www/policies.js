// Warren dashboard, policies page: list, add, edit (the form takes a row's values), delete.
'use strict';

VIEWS.policies = async function viewPolicies() {
  if (skeleton(`<h1>Policies</h1><div id="p-list"></div>
      <h2 id="p-form-title">Add or update a policy</h2>
      <form class="inline" id="p-form"><label>Vhost <select name="vhost"></select></label>
        <label>Name <input name="name" required></label>
        <label>Pattern <input name="pattern" required placeholder="^orders\\."></label>
        <label>Apply to <select name="applyto"><option value="all">exchanges and queues</option>
          <option value="queues">queues</option><option value="exchanges">exchanges</option></select></label>
        <label>Priority <input name="priority" type="number" value="0"></label>
        <div class="field">Definition <div class="args-box"></div></div>
        <button class="primary">Save policy</button></form>
      <p class="hint">Definition keys as RabbitMQ's: message-ttl, expires, max-length, max-length-bytes, overflow,
        dead-letter-exchange, dead-letter-routing-key, max-priority, queue-mode, alternate-exchange...</p>`)) {
    const form = $('#p-form');
    const definition = argsEditor($('#p-form .args-box'));
    form.definition = definition;
    await fillVhosts(form);
    onSubmit(form, async f => {
      const d = definition.read();
      if (!Object.keys(d).length) throw new Error('A policy needs at least one definition key');
      await api('PUT', `/api/policies/${enc(f.vhost.value)}/${enc(f.name.value)}`, { pattern: f.pattern.value,
        'apply-to': f.applyto.value, priority: Number(f.priority.value || 0), definition: d });
      definition.set({});
      $('#p-form-title').textContent = 'Add or update a policy';
      return `Policy ${f.name.value} saved`;
    });
  }
  const policies = await api('GET', '/api/policies');
  table($('#p-list'), 'p-list', [{ key: 'name', label: 'Name' }, { key: 'vhost', label: 'Vhost' },
    { key: 'pattern', label: 'Pattern' }, { key: 'apply-to', label: 'Apply to' },
    { key: 'priority', label: 'Priority', num: true },
    { key: 'definition', label: 'Definition', value: r => JSON.stringify(r.definition) },
    { key: 'actions', label: '', html: r => `<button type="button" data-edit-policy="${esc(JSON.stringify(r))}">Edit</button> `
      + deleteButton(`policy ${r.name} in ${r.vhost}`, `/api/policies/${enc(r.vhost)}/${enc(r.name)}`) }], policies);
};

/** Edit: fills the form with the row's policy; saving puts it under the same name, replacing it. */
document.addEventListener('click', ev => {
  const json = ev.target.dataset && ev.target.dataset.editPolicy;
  if (!json) return;
  const p = JSON.parse(json);
  const f = $('#p-form');
  f.vhost.value = p.vhost;
  f.name.value = p.name;
  f.pattern.value = p.pattern;
  f.applyto.value = p['apply-to'];
  f.priority.value = p.priority;
  f.definition.set(p.definition);
  $('#p-form-title').textContent = `Edit policy ${p.name}`;
  f.scrollIntoView();
});

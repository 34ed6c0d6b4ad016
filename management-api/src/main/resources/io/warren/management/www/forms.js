// Warren dashboard, form pieces shared by the pages: arguments editor, vhost choice, bindings.
'use strict';

/**
 * Key/value rows for AMQP arguments and policy definitions. Each value has a type ("auto" reads
 * numbers and true/false as such); an empty row is always left at the end for the next argument.
 */
function argsEditor(el) {
  el.classList.add('args');
  const addRow = (k = '', v = '', type = 'auto') => {
    const row = document.createElement('div');
    row.className = 'arg';
    row.innerHTML = `<input class="k" placeholder="key"> = <input class="v" placeholder="value">
      <select class="t"><option>auto</option><option>string</option><option>number</option>
      <option>boolean</option><option>json</option></select>`;
    row.querySelector('.k').value = k;
    row.querySelector('.v').value = v;
    row.querySelector('.t').value = type;
    row.querySelector('.k').addEventListener('input', () => {
      if (row === el.lastElementChild && row.querySelector('.k').value) addRow();
    });
    el.append(row);
  };
  const parse = (v, t) => {
    if (t === 'string') return v;
    if (t === 'number' || (t === 'auto' && /^-?\d+(\.\d+)?$/.test(v))) {
      if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new Error('not a number: ' + v);
      return Number(v);
    }
    if (t === 'boolean' || (t === 'auto' && /^(true|false)$/.test(v))) return v === 'true';
    if (t === 'json') return JSON.parse(v);
    return v;
  };
  const editor = {
    read() {
      const out = {};
      el.querySelectorAll('.arg').forEach(r => {
        const k = r.querySelector('.k').value.trim();
        if (k) out[k] = parse(r.querySelector('.v').value, r.querySelector('.t').value);
      });
      return out;
    },
    set(obj) {
      el.innerHTML = '';
      Object.entries(obj || {}).forEach(([k, v]) => addRow(k, typeof v === 'object' ? JSON.stringify(v) : String(v),
        typeof v === 'object' ? 'json' : typeof v === 'string' ? 'string' : 'auto'));
      addRow();
    },
  };
  editor.set({});
  return editor;
}

let vhostCache = null;

/** Fills every vhost select inside root with the vhosts the user may see; keeps a chosen one. */
async function fillVhosts(root) {
  if (!vhostCache) vhostCache = (await api('GET', '/api/vhosts')).map(v => v.name);
  root.querySelectorAll('select[name=vhost]').forEach(sel => {
    const keep = sel.value || '/';
    sel.innerHTML = vhostCache.map(v => `<option>${esc(v)}</option>`).join('');
    sel.value = vhostCache.includes(keep) ? keep : vhostCache[0];
  });
}
window.addEventListener('hashchange', () => { vhostCache = null; });

/**
 * A form that binds in one direction: from an exchange to a queue or exchange ("out"), or from a
 * given exchange to this object ("in"). `self` is {vhost, name, kind: 'e'|'q'}.
 */
function bindingForm(el, self, direction) {
  const other = direction === 'out'
    ? `<label>To <select name="dtype"><option value="q">queue</option><option value="e">exchange</option></select></label>
       <label>Name <input name="other" required></label>`
    : '<label>From exchange <input name="other" required></label>';
  el.innerHTML = `${other}<label>Routing key <input name="rk"></label>
    <label>Arguments <div class="args-box"></div></label><button class="primary">Bind</button>`;
  const args = argsEditor(el.querySelector('.args-box'));
  onSubmit(el, async f => {
    const [src, dtype, dst] = direction === 'out' ? [self.name, f.dtype.value, f.other.value]
      : [f.other.value, self.kind, self.name];
    await api('POST', `/api/bindings/${enc(self.vhost)}/e/${enc(src)}/${dtype}/${enc(dst)}`,
      { routing_key: f.rk.value, arguments: args.read() });
    args.set({});
    return `Bound ${src} to ${dst}`;
  });
}

/** Columns for a binding table with an unbind button; `other` is the column naming the far end. */
function bindingColumns(vhost, other) {
  const link = (type, name) => (type === 'queue' ? `<a href="#/queue/${enc(vhost)}/${enc(name)}">${esc(name)}</a>`
    : name ? `<a href="#/exchange/${enc(vhost)}/${enc(name)}">${esc(name)}</a>` : '(default exchange)');
  return [{ key: other, label: other === 'source' ? 'From' : 'To',
    html: r => link(other === 'source' ? 'exchange' : r.destination_type, r[other]) },
  { key: 'destination_type', label: 'Type', value: r => (other === 'source' ? 'exchange' : r.destination_type) },
  { key: 'routing_key', label: 'Routing key' },
  { key: 'arguments', label: 'Arguments', value: r => JSON.stringify(r.arguments) },
  { key: 'unbind', label: '', html: r => (r.source ? deleteButton(`binding ${r.source} → ${r.destination}`,
    `/api/bindings/${enc(vhost)}/e/${enc(r.source)}/${r.destination_type === 'queue' ? 'q' : 'e'}/${
      enc(r.destination)}/${enc(r.properties_key)}`, null, 'Unbind') : '') }];
}

// Warren dashboard, nodes page: every cluster member, whether it runs, and its memory, disk and uptime.
'use strict';

/**
 * One row per member, with the figures that member measured (the node serving the page asks the
 * others over the cluster link); a member that is down or did not answer shows as down, without figures.
 */
VIEWS.nodes = async function viewNodes() {
  skeleton(`<h1>Nodes</h1><div id="nodes-list"></div>
    <p class="hint">Memory is measured against the memory alarm's high watermark; the disk alarm goes on
      when free space falls under its limit.</p>`);
  const nodes = await api('GET', '/api/nodes');
  const up = (n, f) => (n.running ? f(n) : '');
  table($('#nodes-list'), 'nodes-list', [
    { key: 'name', label: 'Name', html: n => esc(n.name) + (n.cluster_leader ? ' <span class="hint">leader</span>' : '') },
    { key: 'running', label: 'State', value: n => (n.running ? 'running' : 'down'),
      html: n => `<span class="${n.running ? 'ok' : 'down'}" data-state="${n.running ? 'running' : 'down'}">${n.running
        ? 'running' : 'down'}</span>` },
    { key: 'mem_used', label: 'Memory', value: n => n.mem_used ?? -1,
      html: n => up(n, x => alarmed(x.mem_alarm, `${fmtBytes(x.mem_used)} of ${fmtBytes(x.mem_limit)}`)) },
    { key: 'disk_free', label: 'Disk free', value: n => n.disk_free ?? -1,
      html: n => up(n, x => alarmed(x.disk_free_alarm, `${fmtBytes(x.disk_free)} (limit ${fmtBytes(x.disk_free_limit)})`)) },
    { key: 'fd_used', label: 'File descriptors', num: true, value: n => n.fd_used },
    { key: 'sockets_used', label: 'Connections', num: true, value: n => n.sockets_used },
    { key: 'proc_used', label: 'Threads', num: true, value: n => n.proc_used },
    { key: 'uptime', label: 'Uptime', value: n => n.uptime ?? -1, html: n => up(n, x => esc(fmtDuration(x.uptime))) },
    { key: 'cluster_address', label: 'Cluster address', value: n => n.cluster_address || '' }], nodes);
};

/** A figure, marked when its alarm is on. */
function alarmed(alarm, text) {
  return alarm ? `<span class="down">${esc(text)} <b>ALARM</b></span>` : esc(text);
}

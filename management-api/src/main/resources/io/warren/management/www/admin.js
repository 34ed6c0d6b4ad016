// Warren dashboard, admin page: users, virtual hosts and permissions (administrators only).
'use strict';

VIEWS.admin = async function viewAdmin() {
  if (skeleton(`<h1>Admin</h1>
      <h2>Users</h2><div id="a-users"></div>
      <form class="inline" id="a-add-user"><label>Name <input name="name" required></label>
        <label>Password <input name="password" type="password"></label>
        <label>Tags <input name="tags" placeholder="administrator,monitoring"></label>
        <button class="primary">Add or update user</button></form>
      <h2>Virtual hosts</h2><div id="a-vhosts"></div>
      <form class="inline" id="a-add-vhost"><label>Name <input name="name" required></label>
        <button class="primary">Add virtual host</button></form>
      <h2>Permissions</h2><div id="a-perms"></div>
      <form class="inline" id="a-set-perm"><label>User <input name="user" required></label>
        <label>Vhost <input name="vhost" value="/" required></label>
        <label>Configure <input name="configure" value=".*"></label>
        <label>Write <input name="write" value=".*"></label>
        <label>Read <input name="read" value=".*"></label>
        <button class="primary">Set permissions</button></form>`)) {
    const submit = (id, action) => ($(id).onsubmit = async ev => {
      ev.preventDefault();
      try {
        await action(ev.target);
        ev.target.reset();
        state.refresh();
      } catch (e) { status(e.message, true); }
    });
    submit('#a-add-user', f => api('PUT', '/api/users/' + enc(f.name.value),
      Object.assign({ tags: f.tags.value }, f.password.value ? { password: f.password.value } : {})));
    submit('#a-add-vhost', f => api('PUT', '/api/vhosts/' + enc(f.name.value), {}));
    submit('#a-set-perm', f => api('PUT', `/api/permissions/${enc(f.vhost.value)}/${enc(f.user.value)}`,
      { configure: f.configure.value, write: f.write.value, read: f.read.value }));
  }
  const [users, vhosts, perms] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/vhosts'),
    api('GET', '/api/permissions')]);
  const del = (label, path) => `<button class="danger" data-delete="${esc(path)}" data-label="${esc(label)}">`
    + 'Delete</button>';
  table($('#a-users'), 'a-users', [{ key: 'name', label: 'Name' },
    { key: 'tags', label: 'Tags', value: r => r.tags.join(', ') },
    { key: 'del', label: '', html: r => del('user ' + r.name, '/api/users/' + enc(r.name)) }], users);
  table($('#a-vhosts'), 'a-vhosts', [{ key: 'name', label: 'Name' },
    { key: 'messages', label: 'Messages', num: true },
    { key: 'del', label: '', html: r => del('vhost ' + r.name + ' and everything in it',
      '/api/vhosts/' + enc(r.name)) }], vhosts);
  table($('#a-perms'), 'a-perms', [{ key: 'user', label: 'User' }, { key: 'vhost', label: 'Vhost' },
    { key: 'configure', label: 'Configure' }, { key: 'write', label: 'Write' }, { key: 'read', label: 'Read' },
    { key: 'del', label: '', html: r => del(`permissions of ${r.user} in ${r.vhost}`,
      `/api/permissions/${enc(r.vhost)}/${enc(r.user)}`) }], perms);
};

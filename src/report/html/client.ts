/**
 * The report's filtering, sorting and details logic, inlined as plain browser JavaScript.
 * It builds every node with textContent, never innerHTML: finding text comes from scanned files.
 * Rows are rendered in pages so reports with thousands of findings stay responsive.
 */
export const REPORT_SCRIPT = String.raw`
(() => {
  'use strict';
  const byId = (id) => document.getElementById(id);
  const data = JSON.parse(byId('kfguard-data').textContent);
  const findings = data.findings;
  const state = { severity: '', category: '', namespace: '', text: '', suppressed: false, sortKey: '', sortDir: 1, limit: data.pageSize };
  const open = new Set();
  const rows = byId('finding-rows');
  const countEl = byId('visible-count');
  const moreEl = byId('more-rows');

  for (const f of findings) {
    f.haystack = [f.rule, f.title, f.msg, f.kind, f.ns, f.name, f.loc, f.path, f.ev.join(' ')].join('\n').toLowerCase();
  }

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const sortKeys = {
    severity: (f) => f.rank,
    rule: (f) => f.rule,
    resource: (f) => f.kind + '/' + f.name,
    namespace: (f) => f.ns,
    location: (f) => f.loc,
  };

  const matches = (f) =>
    (state.suppressed || !f.sup) &&
    (!state.severity || f.sev === state.severity) &&
    (!state.category || f.cat === state.category) &&
    (!state.namespace || f.ns === (state.namespace === data.clusterScoped ? '' : state.namespace)) &&
    (!state.text || f.haystack.includes(state.text));

  const compare = (a, b) => {
    const key = sortKeys[state.sortKey];
    const x = key(a), y = key(b);
    const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? order * state.sortDir : a.index - b.index;
  };

  const section = (parent, title, content) => {
    parent.append(el('h4', '', title));
    parent.append(content);
  };

  const detailsRow = (f) => {
    const tr = el('tr', 'details');
    const td = el('td');
    td.colSpan = 6;
    const box = el('div', 'details');
    section(box, 'What was found', el('div', '', f.msg));
    if (f.ap >= 0) {
      const diagram = byId('attack-path-' + f.ap);
      if (diagram) section(box, 'Attack path', diagram.cloneNode(true));
    }
    if (f.ev.length > 0) {
      const list = el('ul', 'mono');
      for (const line of f.ev) list.append(el('li', '', line));
      section(box, 'Evidence', list);
    }
    section(box, 'Remediation', el('div', 'md', f.rem));
    const facts = el('div');
    const where = [f.loc, f.path].filter(Boolean).join('  ');
    if (where) facts.append(el('div', 'mono', where));
    if (f.mitre.length > 0) {
      const tags = el('div');
      for (const id of f.mitre) tags.append(el('span', 'tag', id));
      facts.append(tags);
    }
    facts.append(el('div', 'note mono', 'rule ' + f.rule + ' · fingerprint ' + f.fp));
    if (f.sup) facts.append(el('div', 'note', 'Suppressed (' + f.sup.kind + '): ' + f.sup.reason));
    section(box, 'Details', facts);
    td.append(box);
    tr.append(td);
    return tr;
  };

  const findingRow = (f) => {
    const tr = el('tr', 'finding-row' + (f.sup ? ' is-suppressed' : '') + (open.has(f.index) ? ' open' : ''));
    tr.tabIndex = 0;
    tr.dataset.index = String(f.index);
    const sevCell = el('td');
    sevCell.append(el('span', 'sev sev-' + f.sev, f.sev));
    const ruleCell = el('td');
    ruleCell.append(el('div', 'mono', f.rule), el('div', 'note', f.title));
    // Long absolute paths drown the table; the cell shows the file name and keeps the full path as a tooltip.
    const locCell = el('td', 'loc mono', f.loc.slice(f.loc.lastIndexOf('/') + 1));
    locCell.title = f.loc;
    tr.append(sevCell, ruleCell, el('td', 'res', f.kind + ' ' + f.name), el('td', '', f.ns || '—'), locCell, el('td', '', f.msg));
    return tr;
  };

  const render = () => {
    let list = findings.filter(matches);
    if (state.sortKey) list = list.slice().sort(compare);
    countEl.textContent = 'Showing ' + list.length + ' of ' + countEl.dataset.total;
    countEl.dataset.count = String(list.length);
    const fragment = document.createDocumentFragment();
    for (const f of list.slice(0, state.limit)) {
      fragment.append(findingRow(f));
      if (open.has(f.index)) fragment.append(detailsRow(f));
    }
    if (list.length === 0) {
      const tr = el('tr');
      const td = el('td', 'empty', 'No findings match these filters.');
      td.colSpan = 6;
      tr.append(td);
      fragment.append(tr);
    }
    rows.replaceChildren(fragment);
    moreEl.hidden = list.length <= state.limit;
    moreEl.querySelector('button').textContent = 'Show ' + Math.min(data.pageSize, list.length - state.limit) + ' more (' + (list.length - state.limit) + ' hidden)';
  };

  const bind = (id, key, transform) => {
    byId(id).addEventListener('input', (event) => {
      state[key] = transform(event.target);
      state.limit = data.pageSize;
      render();
    });
  };
  bind('filter-severity', 'severity', (t) => t.value);
  bind('filter-category', 'category', (t) => t.value);
  bind('filter-namespace', 'namespace', (t) => t.value);
  bind('filter-search', 'text', (t) => t.value.trim().toLowerCase());
  bind('filter-suppressed', 'suppressed', (t) => t.checked);

  byId('clear-filters').addEventListener('click', () => {
    for (const id of ['filter-severity', 'filter-category', 'filter-namespace', 'filter-search']) byId(id).value = '';
    byId('filter-suppressed').checked = false;
    Object.assign(state, { severity: '', category: '', namespace: '', text: '', suppressed: false, limit: data.pageSize });
    render();
  });

  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      state.sortDir = state.sortKey === key ? -state.sortDir : 1;
      state.sortKey = key;
      for (const other of document.querySelectorAll('th[data-sort]')) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', state.sortDir === 1 ? 'ascending' : 'descending');
      render();
    });
  }

  const toggle = (row) => {
    const index = Number(row.dataset.index);
    if (open.has(index)) open.delete(index);
    else open.add(index);
    render();
    // Re-rendering replaces the row; keep keyboard users where they were.
    const again = rows.querySelector('tr.finding-row[data-index="' + index + '"]');
    if (again) again.focus();
  };
  rows.addEventListener('click', (event) => {
    const row = event.target.closest('tr.finding-row');
    if (row) toggle(row);
  });
  rows.addEventListener('keydown', (event) => {
    const row = event.target.closest('tr.finding-row');
    if (row && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      toggle(row);
    }
  });
  moreEl.querySelector('button').addEventListener('click', () => {
    state.limit += data.pageSize;
    render();
  });

  render();
  document.body.dataset.ready = 'true';
})();
`;

// Sealgate admin console: plain ES modules, no build step, no CDN. Every action goes through the
// same admin API that automation uses; the signed-in session (cookie) authenticates, and a CSRF
// token from the XSRF-TOKEN cookie guards every change. See docs/adr/0130-admin-console.md.
import { TEXTS, initialLanguage } from './i18n.js';

const API = '/api/v1/admin';
let lang = initialLanguage();
let me = { name: '', roles: [] };
const t = (key) => (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.en[key] || key;
// Pages load asynchronously: a page whose data arrives after the admin has already moved on must
// not paint over the page now open (it did: the overview's late answers replaced the tracking list
// and the policy form). route() starts a new generation; each page takes its view at its start
// with current(), and a stale page then renders into a detached element nobody sees.
let generation = 0;
const detached = () => document.createElement('main');
function current() {
  const mine = generation;
  return () => (mine === generation ? document.getElementById('view') : detached());
}

const PAGES = ['overview', 'tracking', 'queues', 'held', 'events', 'certificates', 'enrollments', 'files', 'policies', 'rules', 'audit', 'settings'];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'style') node.style.cssText = v; // CSSOM: allowed under style-src 'self', unlike a style attribute
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return node;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (options.method && options.method !== 'GET') {
    const token = csrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  const response = await fetch(API + path, { credentials: 'same-origin', ...options, headers });
  if (response.status === 401) {
    window.location.assign('/login');
    throw new Error('not signed in');
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : (body && body.title) || response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

function say(text, kind = 'info') {
  const box = document.getElementById('message');
  box.replaceChildren(el('div', { class: kind }, text));
  if (kind === 'info') setTimeout(() => box.replaceChildren(), 4000);
}

// A text with {name} placeholders filled from the arguments (e.g. a warning's).
const fillIn = (text, args = {}) => text.replace(/\{(\w+)\}/g, (m, k) => (args[k] !== undefined ? String(args[k]) : m));
// An API warning in the console's language by its stable code (ADR 0201); an unknown code shows the API's English text.
const warningText = (w) => {
  if (typeof w === 'string') return w;
  const args = { ...(w.arguments || {}) };
  if (args.storedAs) args.storedAs = t(`kind.${args.storedAs}`);
  if (args.notAfter) args.notAfter = fmt(args.notAfter);
  if (args.notBefore) args.notBefore = fmt(args.notBefore);
  const key = `warning.${w.code}`;
  return (TEXTS[lang] && TEXTS[lang][key]) ? fillIn(TEXTS[lang][key], args) : w.message;
};
const warnings = (c) => (c.warnings || []).map(warningText).join('; ');
// Enumerations the API answers in English words (kinds, trust, origins, severities): shown in the console's language.
const word = (family, value) => (value === null || value === undefined || value === '' ? '' : t(`${family}.${value}`) === `${family}.${value}` ? String(value) : t(`${family}.${value}`));

const canChange = () => me.roles.includes('admin') || me.roles.includes('operator');
const isAdmin = () => me.roles.includes('admin');
const fmt = (instant) => (instant ? new Date(instant).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : '');

function table(columns, rows, onRow) {
  if (!rows || rows.length === 0) return el('p', { class: 'muted' }, t('none'));
  return el('table', {},
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, t(c.label))))),
    // data-id: a stable handle on a row (message, certificate, rule) for people's scripts and the browser tests
    el('tbody', {}, rows.map((row) => el('tr', { 'data-id': row.messageId ?? row.id ?? row.name ?? row.scope, ...(onRow ? { class: 'clickable', onclick: () => onRow(row) } : {}) },
      columns.map((c) => el('td', c.cls ? { class: c.cls(row) } : {}, c.render ? c.render(row) : String(row[c.key] ?? '')))))));
}

async function action(work, after) {
  try {
    const result = await work();
    if (result && result.kind) say(result.text, result.kind); // e.g. a warning, which stays until the next page
    else say(typeof result === 'string' ? result : t('done'));
    if (after) await after();
  } catch (e) {
    say(e.message, 'error');
  }
}

// ---------------------------------------------------------------- pages

// ---------------------------------------------------------------- charts (inline SVG: no library, no CDN)

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return node;
}

// what became of the mail of a slice, in the order the bars stack (bottom first)
const FLOW_SERIES = [
  ['delivered', (s) => (s.Success || 0) + (s.PartialSuccess || 0)],
  ['pending', (s) => s.DeliveryPending || 0],
  ['deferred', (s) => s.TemporarilyBlocked || 0],
  ['onhold', (s) => s.PutOnHold || 0],
  ['bounced', (s) => s.PermanentlyBlocked || 0],
];

function legend(keys) {
  return el('div', { class: 'legend' }, keys.map((k) => el('span', {}, el('span', { class: `swatch s-${k}` }), t(k))));
}

/** Received mail per slice (hour or day) as stacked bars by what became of it. */
function flowChart(flow, period, id) {
  const width = 720;
  const height = 170;
  const left = 34;
  const bottom = 20;
  const plotHeight = height - bottom - 8;
  const slots = flow.slices.length;
  const slot = (width - left) / slots;
  const max = Math.max(1, ...flow.slices.map((s) => s.received));
  const y = (n) => (n / max) * plotHeight;
  const label = (s) => {
    // an hour by its start; a day (a 24-hour slice ending at the next full hour) by the day it ends in
    const d = period === 'day' ? new Date(s.since) : new Date(new Date(s.until).getTime() - 1);
    return period === 'day' ? String(d.getHours()).padStart(2, '0')
      : d.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', { weekday: 'short' });
  };
  const bars = flow.slices.map((s, i) => {
    let top = plotHeight + 8;
    const x = left + i * slot + 1;
    const parts = FLOW_SERIES.map(([key, value]) => {
      const n = value(s.byStatus || {});
      if (n === 0) return null;
      top -= y(n);
      return svg('rect', { class: `s-${key}`, x, y: top, width: Math.max(1, slot - 2), height: y(n) });
    }).filter(Boolean);
    const every = period === 'day' ? 3 : 1;
    return svg('g', { 'data-slice': i },
      svg('title', {}, `${fmt(s.since)}: ${s.received} ${t('received')}; ${FLOW_SERIES.map(([k, v]) => `${t(k)} ${v(s.byStatus || {})}`).join(', ')}`),
      svg('rect', { class: 'slot', x, y: 8, width: Math.max(1, slot - 2), height: plotHeight }), parts,
      i % every === 0 ? svg('text', { class: 'axis', x: x + slot / 2, y: height - 5, 'text-anchor': 'middle' }, label(s)) : null);
  });
  return el('figure', { class: 'chart-figure', id },
    svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${t('received')}: ${flow.window.received}` },
      svg('line', { class: 'axis-line', x1: left, x2: width, y1: plotHeight + 8, y2: plotHeight + 8 }),
      svg('text', { class: 'axis', x: left - 4, y: 16, 'text-anchor': 'end' }, String(max)),
      svg('text', { class: 'axis', x: left - 4, y: plotHeight + 8, 'text-anchor': 'end' }, '0'),
      bars),
    legend(FLOW_SERIES.map(([k]) => k)));
}

/** Recipients waiting per next hop, held ones apart, as horizontal bars. */
function queueChart(queues) {
  if (!queues || queues.length === 0) return '';
  const width = 720;
  const row = 22;
  const labelWidth = 220;
  const max = Math.max(1, ...queues.map((q) => q.recipients + (q.held || 0)));
  const scale = (n) => (n / max) * (width - labelWidth - 50);
  return el('figure', { class: 'chart-figure', id: 'chart-queues' },
    svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${queues.length * row + 6}`, role: 'img', 'aria-label': t('queueDepth') },
      queues.map((q, i) => {
        const waiting = Math.max(0, q.recipients - (q.held || 0));
        const yTop = i * row + 4;
        return svg('g', {},
          svg('title', {}, `${q.nextHop}: ${q.recipients} ${t('recipients')}, ${q.held || 0} ${t('onhold')}`),
          svg('text', { class: 'axis', x: labelWidth - 6, y: yTop + 13, 'text-anchor': 'end' }, String(q.nextHop ?? '').slice(0, 34)),
          svg('rect', { class: 's-deferred', x: labelWidth, y: yTop, width: scale(waiting), height: row - 6 }),
          svg('rect', { class: 's-onhold', x: labelWidth + scale(waiting), y: yTop, width: scale(q.held || 0), height: row - 6 }),
          svg('text', { class: 'axis', x: labelWidth + scale(waiting + (q.held || 0)) + 6, y: yTop + 13 }, String(q.recipients)));
      })),
    legend(['deferred', 'onhold']));
}

// signed, encrypted, decrypted; verifications that did not say 'valid'; sign/encrypt/decrypt that failed
function cryptoFigures(crypto) {
  const sum = (kind, keep) => Object.entries(crypto[kind] || {}).filter(([result]) => keep(result)).reduce((n, [, v]) => n + v, 0);
  const failed = (kind) => sum(kind, (r) => r === 'failed');
  return [['cryptoSigned', sum('sign', (r) => r === 'ok')], ['cryptoEncrypted', sum('encrypt', (r) => r === 'ok')],
    ['cryptoDecrypted', sum('decrypt', (r) => r === 'ok')], ['cryptoVerifyFailed', sum('verify', (r) => r !== 'ok')],
    ['cryptoFailed', failed('sign') + failed('encrypt') + failed('decrypt')]];
}

async function overview() {
  const view = current();
  const [day, week, queues, held, certs, enrollments, events] = await Promise.all([
    api('/mail-flow?period=day'), api('/mail-flow?period=week'), api('/queues'), api('/held'),
    api('/certificates?limit=1000'), api('/enrollments?status=FAILED&limit=20'), api('/events?severity=WARNING&limit=10')]);
  const soon = Date.now() + 30 * 24 * 3600 * 1000;
  const expiring = certs.filter((c) => c.notAfter && new Date(c.notAfter).getTime() < soon && !c.revokedAt);
  const cards = (flow) => {
    const s = flow.window.byStatus || {};
    const d = flow.window.byDirection || {};
    return el('div', { class: 'cards' },
      [['received', flow.window.received], ['delivered', (s.Success || 0) + (s.PartialSuccess || 0)],
        ['deferred', s.TemporarilyBlocked || 0], ['pending', s.DeliveryPending || 0], ['bounced', s.PermanentlyBlocked || 0],
        ['onhold', s.PutOnHold || 0], ['inbound', d.INBOUND || 0], ['outbound', d.OUTBOUND || 0],
        ...cryptoFigures(flow.crypto || {})]
        .map(([k, v]) => el('div', { class: 'card', 'data-figure': k }, el('div', { class: 'value' }, String(v)), el('div', { class: 'label' }, t(k)))));
  };
  view().replaceChildren(el('h1', {}, t('overview')),
    el('h2', {}, t('last24h')), cards(day), flowChart(day, 'day', 'chart-day'),
    el('h2', {}, t('last7d')), cards(week), flowChart(week, 'week', 'chart-week'),
    el('h2', {}, t('queueDepth')), queueChart(queues), table([{ label: 'nextHop', key: 'nextHop' }, { label: 'messages', key: 'messages' },
      { label: 'recipients', key: 'recipients' }, { label: 'held', key: 'held' }, { label: 'nextAttempt', render: (r) => fmt(r.nextAttempt) }], queues),
    el('h2', {}, `${t('held')}: ${held.length}`),
    el('h2', {}, t('expiring')), table([{ label: 'certSubject', key: 'subject' }, { label: 'kind', key: 'kind' },
      { label: 'validUntil', render: (c) => fmt(c.notAfter) }], expiring),
    el('h2', {}, t('failedEnrollments')), table([{ label: 'address', key: 'mailAddress' }, { label: 'provider', key: 'provider' },
      { label: 'error', key: 'errorText' }, { label: 'when', render: (r) => fmt(r.created) }], enrollments),
    el('h2', {}, t('recentWarnings')), eventsTable(events));
}

function eventsTable(events, withMessage = true) {
  // identical events within the aggregation window are one row; its count says how often, 'when' the last time
  return table([{ label: 'when', render: (e) => fmt(e.lastOccurredAt ?? e.occurredAt) },
    { label: 'severity', render: (e) => word('severity', e.severity), cls: (e) => `sev-${e.severity}` },
    { label: 'source', key: 'source' }, { label: 'message', key: 'message' },
    ...(withMessage ? [{ label: 'trackingRef', render: (e) => (e.trackingId
      ? el('a', { href: `#/tracking/${encodeURIComponent(e.trackingId)}`, 'data-tracking-id': e.trackingId }, e.trackingId)
      : (e.messageId ?? '')) }] : []),
    { label: 'count', cls: (e) => ((e.occurrences ?? 1) > 1 ? 'count aggregated' : 'count'),
      render: (e) => ((e.occurrences ?? 1) > 1 ? `${e.occurrences}× (${t('since')} ${fmt(e.occurredAt)})` : '1') },
    { label: 'resolved', render: (e) => (e.resolvedAt ? `${fmt(e.resolvedAt)} ${e.resolution ?? ''}` : '') },
    { label: 'details', key: 'details' }], events);
}

async function tracking(id) {
  const view = current();
  if (id) return trackingDetail(id);
  const form = el('form', { class: 'filters', id: 'tracking-search' },
    ['sender', 'recipient', 'subject'].map((f) => el('label', {}, t(f), el('input', { name: f, id: `tracking-${f}` }))),
    el('label', {}, t('messageIdHeader'), el('input', { name: 'messageId', id: 'tracking-message-id', placeholder: '<…@…>', size: 28 })),
    el('label', {}, t('status'), el('select', { name: 'status' }, el('option', { value: '' }, t('any')),
      ['Success', 'PartialSuccess', 'DeliveryPending', 'TemporarilyBlocked', 'PermanentlyBlocked', 'PutOnHold'].map((s) => el('option', { value: s }, word('messageStatus', s))))),
    el('label', {}, t('from'), el('input', { name: 'from', type: 'datetime-local' })),
    el('label', {}, t('to'), el('input', { name: 'to', type: 'datetime-local' })),
    el('button', { type: 'submit' }, t('search')));
  const results = el('div', { id: 'tracking-results' });
  let searches = 0;
  const run = async () => {
    const mine = ++searches; // an older search answering late must not replace a newer one's rows
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const [k, v] of data.entries()) {
      if (!v) continue;
      query.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    }
    query.set('limit', '200');
    const rows = await api(`/tracking?${query}`);
    if (mine !== searches) return;
    results.dataset.search = String(mine); // which search the rows answer, for scripts and the browser tests
    results.replaceChildren(table([{ label: 'received_at', render: (r) => fmt(r.receivedAt) }, { label: 'sender', key: 'envelopeSender' },
      { label: 'subject', key: 'subject' }, { label: 'direction', render: (r) => word('direction', r.direction) },
      { label: 'status', render: (r) => word('messageStatus', r.status), cls: (r) => `status-${r.status}` }, { label: 'recipients', key: 'recipients' }], rows,
    (r) => { window.location.hash = `#/tracking/${encodeURIComponent(r.id)}`; }));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run().catch((err) => say(err.message, 'error')); });
  view().replaceChildren(el('h1', {}, t('tracking')), form, results);
  await run();
}

async function trackingDetail(id) {
  const view = current();
  const r = await api(`/tracking/${encodeURIComponent(id)}`);
  view().replaceChildren(el('h1', {}, `${t('tracking')}: ${r.subject ?? r.id}`),
    el('p', {}, el('a', { href: '#/tracking' }, t('back')), ' · ',
      el('a', { id: 'export-json', href: `${API}/tracking/${encodeURIComponent(id)}/export`, download: `${id}.json` }, t('exportJson'))),
    el('dl', { class: 'fields', id: 'tracking-fields' }, [['id', r.id], ['received_at', fmt(r.receivedAt)], ['sender', r.envelopeSender], ['from', r.headerFrom],
      ['subject', r.subject], ['messageIdHeader', r.headerMessageId], ['direction', word('direction', r.direction)], ['rule', r.rule], ['status', word('messageStatus', r.status)],
      ['client', `${r.clientAddress} (${r.helo ?? ''})`]]
      .flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-field': k }, v ?? '')])),
    el('h2', {}, t('recipients')), table([{ label: 'address', key: 'address' }, { label: 'status', render: (x) => word('recipientStatus', x.status) },
      { label: 'nextHop', key: 'nextHop' }, { label: 'attempts', key: 'attempts' }, { label: 'details', key: 'detail' }], r.recipients),
    el('h2', {}, t('attempts')), table([{ label: 'when', render: (a) => fmt(a.at ?? a.attemptedAt) }, { label: 'nextHop', key: 'nextHop' },
      { label: 'outcome', key: 'outcome' }, { label: 'lastReply', key: 'reply' }], r.attempts),
    el('h2', {}, t('crypto')), el('pre', { id: 'crypto-operations' }, JSON.stringify(r.cryptoOperations ?? [], null, 2)),
    // what went wrong with this message, from the event log (the API lists them in the record and its export)
    el('h2', {}, t('messageEvents')),
    el('p', {}, el('a', { id: 'message-events-link', href: `#/events/${encodeURIComponent(r.id)}` }, t('inEventLog'))),
    el('div', { id: 'tracking-events' }, eventsTable(r.events || [], false)));
}

async function queues() {
  const view = current();
  const [hops, messages] = await Promise.all([api('/queues'), api('/queues/messages?limit=500')]);
  view().replaceChildren(el('h1', {}, t('queues')),
    table([{ label: 'nextHop', key: 'nextHop' }, { label: 'messages', key: 'messages' }, { label: 'recipients', key: 'recipients' },
      { label: 'held', key: 'held' }, { label: 'attempts', key: 'attemptsSoFar' }, { label: 'nextAttempt', render: (r) => fmt(r.nextAttempt) }], hops),
    el('h2', {}, t('messages')),
    table([{ label: 'received_at', render: (m) => fmt(m.receivedAt) }, { label: 'sender', key: 'sender' }, { label: 'subject', key: 'subject' },
      { label: 'recipients', render: (m) => m.recipients.join(', ') }, { label: 'nextHop', key: 'nextHop' }, { label: 'attempts', key: 'attempts' },
      { label: 'lastReply', key: 'lastReply' },
      { label: '', render: (m) => canChange() ? el('span', { class: 'actions' },
        el('button', { class: 'secondary', 'data-action': 'retry', onclick: () => action(() => api(`/queues/messages/${encodeURIComponent(m.messageId)}/retry`, { method: 'POST' }), queues) }, t('retry')),
        el('button', { class: 'secondary', 'data-action': 'bounce', id: `bounce-${m.messageId}`, onclick: () => {
          const reason = prompt(t('bounceReason'), '');
          if (reason === null) return;
          action(async () => {
            const r = await api(`/queues/messages/${encodeURIComponent(m.messageId)}/bounce`, { method: 'POST',
              headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: reason || null }) });
            return `${t('returnedToSender')}: ${r.bounced}`;
          }, queues);
        } }, t('bounce')),
        el('button', { class: 'danger', 'data-action': 'delete', onclick: () => confirm(t('confirmDelete')) && action(() => api(`/queues/messages/${encodeURIComponent(m.messageId)}`, { method: 'DELETE' }), queues) }, t('delete'))) : '' }],
    messages));
}

async function held() {
  const view = current();
  const rows = await api('/held');
  view().replaceChildren(el('h1', {}, t('held')),
    table([{ label: 'received_at', render: (m) => fmt(m.receivedAt) }, { label: 'sender', key: 'sender' }, { label: 'subject', key: 'subject' },
      { label: 'recipients', render: (m) => m.recipients.join(', ') }, { label: 'reason', key: 'reason' },
      { label: '', render: (m) => canChange() ? el('span', { class: 'actions' },
        el('button', { 'data-action': 'release', onclick: () => action(async () => {
          const r = await api(`/held/${encodeURIComponent(m.messageId)}/release`, { method: 'POST' });
          return r.reason ? `${t('stillHeld')}: ${r.reason}` : t('done');
        }, held) }, t('release')),
        el('button', { class: 'danger', 'data-action': 'delete', onclick: () => confirm(t('confirmDelete')) && action(() => api(`/held/${encodeURIComponent(m.messageId)}`, { method: 'DELETE' }), held) }, t('delete'))) : '' }],
    rows));
}

async function events(message) {
  const view = current();
  const sources = el('datalist', { id: 'event-sources' });
  const form = el('form', { class: 'filters', id: 'events-filter' },
    el('label', {}, t('severity'), el('select', { name: 'severity', id: 'events-severity' }, el('option', { value: '' }, t('any')),
      ['INFO', 'WARNING', 'ERROR'].map((s) => el('option', { value: s }, word('severity', s))))),
    el('label', {}, t('source'), el('input', { name: 'source', id: 'events-source', list: 'event-sources' })), sources,
    el('label', {}, t('from'), el('input', { name: 'from', type: 'datetime-local', id: 'events-from' })),
    el('label', {}, t('to'), el('input', { name: 'to', type: 'datetime-local', id: 'events-to' })),
    el('label', {}, t('messageRef'), el('input', { name: 'message', id: 'events-message', value: message ?? '', placeholder: t('messageRefHint'), size: 26 })),
    el('label', { class: 'inline' }, el('input', { type: 'checkbox', name: 'unresolved', value: 'true', id: 'events-unresolved' }), t('unresolvedOnly')),
    el('button', { type: 'submit', id: 'events-search' }, t('search')));
  const results = el('div', { id: 'events-results' });
  const run = async () => {
    const query = new URLSearchParams({ limit: '500' });
    for (const [k, v] of new FormData(form).entries()) if (v) query.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    const rows = await api(`/events?${query}`);
    // offer the sources seen so far, so that nobody has to guess the words
    const known = new Set([...sources.querySelectorAll('option')].map((o) => o.value));
    rows.forEach((e) => { if (e.source && !known.has(e.source)) { known.add(e.source); sources.append(el('option', { value: e.source })); } });
    results.replaceChildren(eventsTable(rows));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run().catch((err) => say(err.message, 'error')); });
  view().replaceChildren(el('h1', {}, t('events')), form, results);
  await run();
}

async function certificateDetail(id) {
  const view = current();
  const [c, chain] = await Promise.all([api(`/certificates/${encodeURIComponent(id)}`), api(`/certificates/${encodeURIComponent(id)}/chain`)]);
  const origin = `${word('origin', c.origin)}${c.originDetail ? ` (${c.originDetail})` : ''}`;
  view().replaceChildren(el('h1', {}, `${t('certificate')}: ${c.subject}`),
    el('p', {}, el('a', { href: '#/certificates' }, t('back')), ' · ',
      el('a', { href: `${API}/certificates/${c.id}/pem`, download: `certificate-${c.id}.pem` }, t('exportPem'))),
    el('dl', { class: 'fields', id: 'certificate-fields' }, [['kind', word('kind', c.kind)], ['trust', word('trust', c.trustStatus)],
      ['certSubject', c.subject], ['issuer', c.issuer], ['serial', c.serial], ['addresses', (c.addresses || []).join(', ')],
      ['validFrom', fmt(c.notBefore)], ['validUntil', fmt(c.notAfter)], ['fingerprint', c.fingerprint],
      ['capabilities', (c.capabilities || []).join(', ')], ['originLabel', origin], ['warning', warnings(c)]]
      .flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-field': k }, v ?? '')])),
    el('h2', {}, t('chain')),
    el('p', { id: 'chain-verdict', class: chain.anchored && !chain.problem ? 'chain-ok' : 'chain-bad' },
      chain.anchored ? t('chainAnchored') : t('chainNotAnchored'), chain.problem ? `: ${warningText(chain.problem)}` : ''),
    el('div', { id: 'certificate-chain' }, table([{ label: 'certSubject', render: (e) => (e.id && String(e.id) !== String(c.id)
      ? el('a', { href: `#/certificates/${e.id}` }, e.subject) : e.subject) },
    { label: 'issuer', key: 'issuer' }, { label: 'validFrom', render: (e) => fmt(e.notBefore) }, { label: 'validUntil', render: (e) => fmt(e.notAfter) },
    { label: 'status', render: (e) => `${word('chainStatus', e.status)}${e.trustAnchor ? ` · ${t('trustAnchor')}` : ''}`,
      cls: (e) => `chain-${e.status}` }], chain.elements)));
}

async function certificates(id) {
  const view = current();
  if (id) return certificateDetail(id);
  const rows = await api('/certificates?limit=1000');
  const form = el('form', { class: 'filters', id: 'certificate-import' },
    el('label', {}, t('file'), el('input', { type: 'file', name: 'file', required: true })),
    el('label', {}, t('kind'), el('select', { name: 'kind' }, el('option', { value: 'PARTNER' }, word('kind', 'PARTNER')), el('option', { value: 'ANCHOR' }, word('kind', 'ANCHOR')))),
    el('label', {}, t('password'), el('input', { type: 'password', name: 'password', autocomplete: 'off' })),
    el('button', { type: 'submit' }, t('import')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const file = data.get('file');
    action(async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = new TextDecoder('ascii').decode(bytes);
      const content = text.includes('-----BEGIN') ? text : btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
      const imported = await api('/certificates', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ content, kind: data.get('kind'), password: data.get('password') || null }) });
      // the API names what makes an import unfit for its purpose in 'warnings' (a list), e.g. a CA
      // certificate imported as a partner's: the admin must see that, not a plain "done"
      const warned = imported.some((c) => c.warnings && c.warnings.length);
      const summary = imported.map((c) => `${word('kind', c.kind)}: ${c.subject}${c.warnings && c.warnings.length ? ` (${t('warning')}: ${warnings(c)})` : ''}`).join('; ');
      return { text: summary, kind: warned ? 'warning' : 'info' };
    }, certificates);
  });
  view().replaceChildren(el('h1', {}, t('certificates')), isAdmin() ? form : el('p', { class: 'muted' }, t('noRights')),
    table([{ label: 'kind', render: (c) => word('kind', c.kind) },
      { label: 'certSubject', render: (c) => el('a', { href: `#/certificates/${c.id}`, 'data-certificate': c.id }, c.subject) }, { label: 'issuer', key: 'issuer' },
      { label: 'addresses', render: (c) => (c.addresses || []).join(', ') }, { label: 'validUntil', render: (c) => fmt(c.notAfter) },
      { label: 'status', render: (c) => c.revokedAt ? `${t('revoked')} ${fmt(c.revokedAt)}` : word('trust', c.trustStatus) },
      { label: 'originLabel', render: (c) => word('origin', c.origin) },
      { label: 'warning', cls: (c) => (c.warnings && c.warnings.length ? 'sev-WARNING' : ''), render: warnings },
      { label: '', render: (c) => el('span', { class: 'actions' },
        el('a', { href: `${API}/certificates/${c.id}/pem`, download: `certificate-${c.id}.pem` }, t('exportPem')),
        isAdmin() && c.kind === 'OWN' && !c.revokedAt ? el('button', { class: 'secondary', onclick: () => confirm(t('revoke')) && action(() => api(`/certificates/${c.id}/revoke`, { method: 'POST' }), certificates) }, t('revoke')) : '',
        isAdmin() ? el('button', { class: 'danger', onclick: () => confirm(t('confirmDelete')) && action(() => api(`/certificates/${c.id}`, { method: 'DELETE' }), certificates) }, t('delete')) : '') }],
    rows));
}

async function enrollments() {
  const view = current();
  const form = el('form', { class: 'filters', id: 'enrollment-filter' },
    el('label', {}, t('address'), el('input', { name: 'address', id: 'enrollment-address' })),
    el('label', {}, t('status'), el('select', { name: 'status', id: 'enrollment-status' }, el('option', { value: '' }, t('any')),
      ['Pending', 'Succeeded', 'Failed'].map((s) => el('option', { value: s }, word('enrollmentStatus', s))))),
    el('button', { type: 'submit', id: 'enrollment-search' }, t('search')));
  const results = el('div', { id: 'enrollment-results' });
  const run = async () => {
    const query = new URLSearchParams({ limit: '500' });
    for (const [k, v] of new FormData(form).entries()) if (v) query.set(k, v);
    const rows = await api(`/enrollments?${query}`);
    results.replaceChildren(table([{ label: 'when', render: (r) => fmt(r.created) }, { label: 'address', key: 'mailAddress' },
      { label: 'type', key: 'requestType' }, { label: 'status', render: (r) => word('enrollmentStatus', r.requestStatus), cls: (r) => `enrollment-${r.requestStatus}` },
      { label: 'provider', key: 'provider' }, { label: 'certSubject', key: 'subjectName' }, { label: 'error', key: 'errorText' },
      { label: 'attempt', key: 'attempt' },
      { label: '', render: (r) => (isAdmin() && r.requestStatus === 'Failed' && r.requestType !== 'Revocation'
        ? el('button', { class: 'secondary', 'data-action': 'retry', id: `retry-enrollment-${r.id}`, onclick: () => action(async () => {
          const again = await api(`/enrollments/${encodeURIComponent(r.id)}/retry`, { method: 'POST' });
          return `${t('retried')}: ${again.requestStatus}${again.errorText ? ` (${again.errorText})` : ''}`;
        }, run) }, t('retry')) : '') }], rows));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run().catch((err) => say(err.message, 'error')); });
  view().replaceChildren(el('h1', {}, t('enrollments')), form, results);
  await run();
}

const size = (bytes) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(bytes || 0);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
};

async function files() {
  const view = current();
  const form = el('form', { class: 'filters', id: 'files-filter' },
    el('label', {}, t('owner'), el('input', { name: 'owner', id: 'files-owner' })),
    el('label', {}, t('file'), el('input', { name: 'name', id: 'files-name' })),
    el('label', { class: 'inline' }, el('input', { type: 'checkbox', name: 'active', value: 'true', id: 'files-active' }), t('activeOnly')),
    el('button', { type: 'submit', id: 'files-search' }, t('search')));
  const results = el('div', { id: 'files-results' });
  const now = () => Date.now();
  const state = (l) => (l.revokedAt ? `${t('revoked')} ${fmt(l.revokedAt)}`
    : new Date(l.expiresAt).getTime() <= now() ? t('expired')
      : (l.maxDownloads && l.downloadCount >= l.maxDownloads ? t('usedUp') : t('active')));
  const run = async () => {
    const query = new URLSearchParams({ limit: '500' });
    for (const [k, v] of new FormData(form).entries()) if (v) query.set(k, v);
    const rows = await api(`/files/links?${query}`);
    results.replaceChildren(table([{ label: 'owner', key: 'owner' }, { label: 'file', key: 'name' },
      { label: 'size', render: (l) => size(l.size) }, { label: 'created', render: (l) => fmt(l.createdAt) },
      { label: 'expires', render: (l) => fmt(l.expiresAt) },
      { label: 'downloads', render: (l) => (l.maxDownloads ? `${l.downloadCount} / ${l.maxDownloads}` : String(l.downloadCount)) },
      { label: 'passwordProtected', render: (l) => (l.passwordProtected ? t('yes') : t('no')) },
      { label: 'status', render: state, cls: (l) => (l.revokedAt ? 'link-revoked' : 'link-active') },
      { label: '', render: (l) => (isAdmin() && !l.revokedAt
        ? el('button', { class: 'danger', 'data-action': 'revoke', id: `revoke-link-${l.id}`,
          onclick: () => confirm(t('confirmRevokeLink')) && action(() => api(`/files/links/${encodeURIComponent(l.id)}/revoke`, { method: 'POST' }), run) },
        t('revoke')) : '') }], rows));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run().catch((err) => say(err.message, 'error')); });
  view().replaceChildren(el('h1', {}, t('files')), form, results);
  await run();
}

const POLICY_FIELDS = {
  outboundSigning: ['AUTO', 'ALWAYS', 'WHEN_KEY_EXISTS', 'NEVER'], outboundEncryption: ['MANDATORY', 'OPPORTUNISTIC', 'WHEN_REQUESTED', 'NEVER'],
  missingCertificate: ['REJECT', 'HOLD', 'SEND_PLAIN'], inboundVerify: ['true', 'false'], autoEnroll: ['true', 'false'],
};

async function policies(scope) {
  const view = current();
  // GET /policies answers a map scope -> stored policy (not a list): as rows, with the unset fields left out
  const stored = await api('/policies');
  const all = Array.isArray(stored) ? stored : Object.entries(stored).map(([s, p]) => ({ scope: s,
    stored: Object.fromEntries(Object.entries(p || {}).filter(([, v]) => v !== null && v !== undefined)) }));
  const editor = el('div', { id: 'policy-editor' });
  const open = async (s) => {
    const p = await api(`/policies/${encodeURIComponent(s)}`);
    const form = el('form', { class: 'filters', id: 'policy-form' }, el('strong', {}, s),
      Object.entries(POLICY_FIELDS).map(([field, values]) => el('label', { title: field }, t(`policy.${field}`),
        el('select', { name: field, disabled: !isAdmin() }, el('option', { value: '' }, `${t('inherit')}: ${p.effective?.[field] ?? ''}`),
          values.map((v) => el('option', { value: v, selected: String(p.stored?.[field] ?? '') === v }, v))))),
      isAdmin() ? el('button', { type: 'submit' }, t('save')) : '');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      // PUT replaces the scope's policy: keep what is stored in fields this form does not show
      // (saving the global scope here dropped its other settings), change only the fields shown
      const body = Object.fromEntries(Object.entries(p.stored || {}).filter(([, v]) => v !== null && v !== undefined));
      for (const field of Object.keys(POLICY_FIELDS)) {
        const v = new FormData(form).get(field);
        if (v) body[field] = v === 'true' ? true : v === 'false' ? false : v;
        else delete body[field];
      }
      action(() => api(`/policies/${encodeURIComponent(s)}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
        () => policies(s));
    });
    editor.replaceChildren(el('h2', {}, `${t('scope')}: ${s}`), form, el('h2', {}, t('effective')),
      el('pre', { id: 'policy-effective' }, JSON.stringify(p.effective, null, 2)));
  };
  const scopeInput = el('input', { name: 'scope', placeholder: 'partner.example | bob@partner.example', id: 'policy-scope' });
  const dryRun = el('form', { class: 'filters', id: 'dry-run' },
    el('label', {}, t('sender'), el('input', { name: 'sender', placeholder: 'alice@corp.example', required: true })),
    el('label', {}, t('recipients'), el('input', { name: 'recipients', placeholder: 'bob@partner.example, ...', required: true })),
    el('label', {}, t('client'), el('input', { name: 'client', placeholder: '10.0.0.25' })),
    el('button', { type: 'submit' }, t('runDryRun')));
  const dryRunResult = el('div', { id: 'dry-run-result' });
  dryRun.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(dryRun);
    api('/policies/dry-run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({
      sender: data.get('sender'), recipients: String(data.get('recipients')).split(',').map((r) => r.trim()).filter(Boolean),
      client: data.get('client') || null }) })
      .then((r) => dryRunResult.replaceChildren(
        el('p', {}, `${word('direction', r.direction)}, ${t('client')} ${r.client}; ${r.sign ? t('signed') : t('notSigned')}${r.senderRefusal ? `; ${r.senderRefusal}` : ''}`),
        table([{ label: 'recipient', key: 'recipient' }, { label: 'rule', render: (o) => o.rule ?? o.refusal ?? '' },
          { label: 'outcome', render: (o) => o.disposition ?? (o.relayed ? '' : t('refusedWord')) }, { label: 'reason', key: 'reason' },
          { label: 'crypto', render: (o) => [o.contentEncryption, o.keyEncryption].filter(Boolean).join(', ') }], r.recipients),
        r.notes.length ? el('ul', {}, r.notes.map((n) => el('li', {}, n))) : ''))
      .catch((err) => say(err.message, 'error'));
  });
  view().replaceChildren(el('h1', {}, t('policies')),
    el('h2', {}, t('dryRun')), dryRun, dryRunResult,
    el('h2', {}, t('scope')),
    table([{ label: 'scope', key: 'scope' }, { label: 'stored', render: (p) => Object.entries(p.stored ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ') }],
      all, (p) => open(p.scope)),
    el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); open(scopeInput.value.trim()).catch((err) => say(err.message, 'error')); } },
      el('label', {}, t('scope'), scopeInput), el('button', { type: 'submit' }, t('edit'))),
    editor);
  await open(scope || 'global');
}

async function rules() {
  const view = current();
  const rows = await api('/rules');
  const fields = ['name', 'position', 'direction', 'senderPattern', 'recipientPattern', 'clientRanges'];
  const form = el('form', { class: 'filters', id: 'rule-form' },
    fields.map((f) => el('label', { title: f }, t(`rule.${f}`), f === 'direction'
      ? el('select', { name: f }, el('option', { value: 'OUTBOUND' }, word('direction', 'OUTBOUND')), el('option', { value: 'INBOUND' }, word('direction', 'INBOUND')))
      : el('input', { name: f, required: true, size: f === 'name' ? 28 : 14 }))),
    el('button', { type: 'submit' }, t('save')));
  const fill = (rule) => fields.forEach((f) => { form.elements[f].value = rule[f]; });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = Object.fromEntries(new FormData(form).entries());
    const name = body.name;
    delete body.name;
    body.position = Number(body.position);
    action(() => api(`/rules/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }), rules);
  });
  view().replaceChildren(el('h1', {}, t('rules')),
    table([{ label: 'position', key: 'position' }, { label: 'name', key: 'name' }, { label: 'direction', render: (r) => word('direction', r.direction) },
      { label: 'sender', key: 'senderPattern' }, { label: 'recipient', key: 'recipientPattern' }, { label: 'client', key: 'clientRanges' },
      { label: '', render: (r) => isAdmin() ? el('span', { class: 'actions' },
        el('button', { class: 'secondary', onclick: () => fill(r) }, t('edit')),
        el('button', { class: 'danger', onclick: () => confirm(t('confirmDelete')) && action(() => api(`/rules/${encodeURIComponent(r.name)}`, { method: 'DELETE' }), rules) }, t('delete'))) : '' }],
    rows),
    isAdmin() ? el('h2', {}, t('edit')) : '', isAdmin() ? form : el('p', { class: 'muted' }, t('noRights')));
}

async function audit() {
  const view = current();
  const rows = await api('/audit?limit=500');
  view().replaceChildren(el('h1', {}, t('audit')),
    table([{ label: 'when', render: (r) => fmt(r.at ?? r.occurredAt) }, { label: 'who', render: (r) => r.actor ?? r.who ?? '' },
      { label: 'what', render: (r) => `${r.method ?? ''} ${r.route ?? r.path ?? ''}${r.target ? ` (${r.target})` : ''}` }, { label: 'client', render: (r) => r.clientAddress ?? r.remoteAddress ?? '' },
      { label: 'outcome', render: (r) => String(r.outcome ?? r.status ?? '') }], rows));
}

async function settings() {
  const view = current();
  const rows = await api('/settings');
  view().replaceChildren(el('h1', {}, t('settings')),
    isAdmin() ? el('p', {}, el('a', { id: 'support-bundle', href: `${API}/support-bundle`, download: 'sealgate-support.zip' }, t('supportBundle'))) : '',
    table([{ label: 'key', key: 'key' }, { label: 'value', key: 'value' }, { label: 'origin', key: 'origin' }], rows));
}

const HANDLERS = { overview, tracking, queues, held, events, certificates, enrollments, files, policies, rules, audit, settings };

async function route() {
  const [, page = 'overview', arg] = (window.location.hash || '#/overview').split('/');
  const name = HANDLERS[page] ? page : 'overview';
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  document.getElementById('message').replaceChildren();
  generation += 1;
  const mine = generation;
  const main = document.getElementById('view');
  delete main.dataset.rendered;
  try {
    await HANDLERS[name](arg ? decodeURIComponent(arg) : undefined);
  } catch (e) {
    if (mine === generation) say(e.message, 'error');
  } finally {
    // data-rendered: this page has its data (or its error), for people's scripts and the browser tests
    if (mine === generation) main.dataset.rendered = name;
  }
}

function renderChrome() {
  document.documentElement.lang = lang;
  document.getElementById('nav').replaceChildren(...PAGES
    .filter((p) => p !== 'audit' || me.roles.includes('admin') || me.roles.includes('auditor'))
    .map((p) => el('a', { href: `#/${p}`, 'data-page': p }, t(p))));
  document.getElementById('who').textContent = `${me.name} (${me.roles.join(', ')})`;
  document.getElementById('signout').textContent = t('signout');
  document.getElementById('language').value = lang;
}

async function start() {
  me = await api('/me');
  me.roles = (me.roles || []).map((r) => String(r).replace(/^ROLE_/, '').toLowerCase());
  document.getElementById('language').addEventListener('change', (e) => {
    lang = e.target.value;
    localStorage.setItem('sealgate.language', lang);
    renderChrome();
    route();
  });
  renderChrome();
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((e) => say(e.message, 'error'));

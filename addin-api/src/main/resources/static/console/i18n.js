// Console texts in English and German; the browser's language decides, the header's switch overrides.
export const TEXTS = {
  en: {
    overview: 'Overview', tracking: 'Message tracking', queues: 'Queues', held: 'Held mail', events: 'Events',
    certificates: 'Certificates', enrollments: 'Enrollments', policies: 'Policies', audit: 'Audit', settings: 'Settings',
    signout: 'Sign out', last24h: 'Last 24 hours', last7d: 'Last 7 days', received: 'Received', delivered: 'Delivered',
    deferred: 'Deferred', bounced: 'Refused or bounced', onhold: 'On hold', pending: 'Pending', inbound: 'Inbound', outbound: 'Outbound',
    queueDepth: 'Queue depth per next hop', nextHop: 'Next hop', messages: 'Messages', recipients: 'Recipients',
    expiring: 'Certificates expiring within 30 days', failedEnrollments: 'Failed enrollments', recentWarnings: 'Recent warnings and errors',
    sender: 'Sender', recipient: 'Recipient', subject: 'Subject', status: 'Status', from: 'From', to: 'To', search: 'Search',
    any: '(any)', received_at: 'Received', direction: 'Direction', exportJson: 'Export as JSON', attempts: 'Delivery attempts',
    crypto: 'Crypto operations', back: 'Back', retry: 'Retry now', delete: 'Delete', release: 'Release', reason: 'Reason',
    nextAttempt: 'Next attempt', lastReply: 'Last reply', severity: 'Severity', source: 'Source', message: 'Message',
    details: 'Details', count: 'Count', when: 'When', kind: 'Kind', issuer: 'Issuer', validUntil: 'Valid until',
    addresses: 'Addresses', import: 'Import', file: 'File', password: 'Password (PKCS#12)', exportPem: 'PEM', revoke: 'Revoke',
    address: 'Address', type: 'Type', provider: 'Provider', error: 'Error', scope: 'Scope', stored: 'Set here', effective: 'In effect',
    save: 'Save', edit: 'Edit', who: 'Who', what: 'What', outcome: 'Outcome', client: 'From where', key: 'Key', value: 'Value',
    origin: 'Origin', supportBundle: 'Download support bundle', none: 'Nothing here.', done: 'Done.', confirmDelete: 'Delete this?',
    inherit: '(inherit)', stillHeld: 'still held', noRights: 'Your role may only read.', rules: 'Message-flow rules',
    name: 'Name', position: 'Position', dryRun: 'Dry run: what happens to mail from … to … now', signed: 'signed', notSigned: 'not signed', rule: 'Rule', warning: 'Warning', runDryRun: 'Check',
  },
  de: {
    overview: 'Übersicht', tracking: 'Nachrichtenverfolgung', queues: 'Warteschlangen', held: 'Zurückgehaltene Mails', events: 'Ereignisse',
    certificates: 'Zertifikate', enrollments: 'Zertifikatsanforderungen', policies: 'Richtlinien', audit: 'Änderungsprotokoll',
    settings: 'Einstellungen', signout: 'Abmelden', last24h: 'Letzte 24 Stunden', last7d: 'Letzte 7 Tage', received: 'Empfangen',
    delivered: 'Zugestellt', deferred: 'Verzögert', bounced: 'Abgewiesen oder unzustellbar', onhold: 'Zurückgehalten', pending: 'Ausstehend',
    inbound: 'Eingehend', outbound: 'Ausgehend', queueDepth: 'Warteschlangen je Ziel', nextHop: 'Nächster Server',
    messages: 'Nachrichten', recipients: 'Empfänger', expiring: 'Zertifikate, die in 30 Tagen ablaufen',
    failedEnrollments: 'Fehlgeschlagene Anforderungen', recentWarnings: 'Aktuelle Warnungen und Fehler', sender: 'Absender',
    recipient: 'Empfänger', subject: 'Betreff', status: 'Status', from: 'Von', to: 'Bis', search: 'Suchen', any: '(alle)',
    received_at: 'Empfangen', direction: 'Richtung', exportJson: 'Als JSON exportieren', attempts: 'Zustellversuche',
    crypto: 'Kryptografische Vorgänge', back: 'Zurück', retry: 'Jetzt erneut versuchen', delete: 'Löschen', release: 'Freigeben',
    reason: 'Grund', nextAttempt: 'Nächster Versuch', lastReply: 'Letzte Antwort', severity: 'Schweregrad', source: 'Quelle',
    message: 'Meldung', details: 'Details', count: 'Anzahl', when: 'Zeitpunkt', kind: 'Art', issuer: 'Aussteller',
    validUntil: 'Gültig bis', addresses: 'Adressen', import: 'Importieren', file: 'Datei', password: 'Kennwort (PKCS#12)',
    exportPem: 'PEM', revoke: 'Sperren', address: 'Adresse', type: 'Typ', provider: 'Anbieter', error: 'Fehler', scope: 'Geltungsbereich',
    stored: 'Hier gesetzt', effective: 'Wirksam', save: 'Speichern', edit: 'Bearbeiten', who: 'Wer', what: 'Was', outcome: 'Ergebnis',
    client: 'Von wo', key: 'Schlüssel', value: 'Wert', origin: 'Herkunft', supportBundle: 'Support-Paket herunterladen',
    none: 'Keine Einträge.', done: 'Erledigt.', confirmDelete: 'Wirklich löschen?', inherit: '(erben)', stillHeld: 'weiter zurückgehalten',
    noRights: 'Ihre Rolle darf nur lesen.', rules: 'Regeln (Nachrichtenfluss)', name: 'Name', position: 'Reihenfolge',
    dryRun: 'Probelauf: was geschieht jetzt mit Mail von … an …', signed: 'signiert', notSigned: 'nicht signiert', rule: 'Regel', warning: 'Warnung', runDryRun: 'Prüfen',
  },
};

export function initialLanguage() {
  const chosen = localStorage.getItem('sealgate.language');
  if (chosen && TEXTS[chosen]) return chosen;
  return (navigator.language || 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
}

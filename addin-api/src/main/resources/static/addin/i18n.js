// Sealgate add-in texts in English and German, chosen by Outlook's display language (Office.context.displayLanguage).
(function (global) {
  "use strict";

  var texts = {
    en: {
      loading: "Loading…",
      ready: "ready",
      encrypt: "Encrypt",
      sign: "Sign",
      largeFiles: "Send large attachments as links",
      checkRecipients: "Check recipients",
      replyLink: "Insert reply link",
      internal: "internal",
      external: "external",
      certificate: "certificate",
      noCertificate: "no certificate",
      ifEncrypted: "if encrypted",
      linkOptions: "Download links",
      password: "Password (optional)",
      expiryDays: "Days until the link expires",
      maxDownloads: "Downloads allowed (empty: unlimited)",
      myLinks: "My links",
      showLinks: "Show my links",
      revoke: "Revoke",
      revoked: "revoked",
      downloads: "downloads",
      signInFailed: "Sign-in failed: {0}",
      signInRefused: "Sealgate refused your sign-in: {0}",
      signInRefusedOnSend: "Sealgate refused your sign-in ({0}); the gateway's policy alone will decide what happens to this message.",
      signInNeeded: "Sign in to Sealgate first: open Sealgate, sign in there and send again. If you send anyway, the gateway's policy alone will decide what happens to this message.",
      blockRejected: "Sealgate cannot encrypt for {0}: no certificate and no other way is allowed. Remove these recipients or open Sealgate to change the options.",
      blockLarge: "This message has attachments of {0} or more. Open Sealgate and choose \"Send large attachments as links\", or send anyway.",
      offerEncrypt: "Every recipient can receive this message encrypted. Open Sealgate to encrypt it, or send anyway.",
      serviceDown: "Sealgate could not check this message ({0}); the gateway's policy alone will decide what happens to it.",
      openSealgate: "Open Sealgate",
      reply: "Reply with files"
    },
    de: {
      loading: "Wird geladen…",
      ready: "bereit",
      encrypt: "Verschlüsseln",
      sign: "Signieren",
      largeFiles: "Große Anhänge als Links senden",
      checkRecipients: "Empfänger prüfen",
      replyLink: "Antwort-Link einfügen",
      internal: "intern",
      external: "extern",
      certificate: "Zertifikat",
      noCertificate: "kein Zertifikat",
      ifEncrypted: "bei Verschlüsselung",
      linkOptions: "Download-Links",
      password: "Passwort (optional)",
      expiryDays: "Tage bis zum Ablauf des Links",
      maxDownloads: "Erlaubte Downloads (leer: unbegrenzt)",
      myLinks: "Meine Links",
      showLinks: "Meine Links anzeigen",
      revoke: "Widerrufen",
      revoked: "widerrufen",
      downloads: "Downloads",
      signInFailed: "Anmeldung fehlgeschlagen: {0}",
      signInRefused: "Sealgate hat Ihre Anmeldung abgelehnt: {0}",
      signInRefusedOnSend: "Sealgate hat Ihre Anmeldung abgelehnt ({0}); über diese Nachricht entscheidet allein die Richtlinie des Gateways.",
      signInNeeded: "Melden Sie sich zuerst bei Sealgate an: Öffnen Sie Sealgate, melden Sie sich dort an und senden Sie erneut. Wenn Sie trotzdem senden, entscheidet allein die Richtlinie des Gateways über diese Nachricht.",
      blockRejected: "Sealgate kann für {0} nicht verschlüsseln: kein Zertifikat, und kein anderer Weg ist erlaubt. Entfernen Sie diese Empfänger oder öffnen Sie Sealgate, um die Optionen zu ändern.",
      blockLarge: "Diese Nachricht hat Anhänge ab {0}. Öffnen Sie Sealgate und wählen Sie „Große Anhänge als Links senden“, oder senden Sie trotzdem.",
      offerEncrypt: "Alle Empfänger können diese Nachricht verschlüsselt erhalten. Öffnen Sie Sealgate, um sie zu verschlüsseln, oder senden Sie trotzdem.",
      serviceDown: "Sealgate konnte diese Nachricht nicht prüfen ({0}); über sie entscheidet allein die Richtlinie des Gateways.",
      openSealgate: "Sealgate öffnen",
      reply: "Mit Dateien antworten"
    }
  };

  function language() {
    var tag = "";
    try {
      tag = (global.Office && Office.context && Office.context.displayLanguage) || "";
    } catch (e) {
      tag = "";
    }
    return tag.toLowerCase().indexOf("de") === 0 ? "de" : "en";
  }

  function t(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    var text = texts[language()][key] || texts.en[key] || key;
    return text.replace(/\{(\d+)\}/g, function (match, index) {
      return String(args[Number(index)]);
    });
  }

  global.SealgateI18n = { t: t, language: language };
})(typeof self !== "undefined" ? self : this);

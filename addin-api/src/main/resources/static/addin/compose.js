// The message being composed, shared by the task pane and the on-send handler: Office's callback APIs as
// promises, the user's choices (kept in the item's session data, so the on-send handler sees what the
// task pane chose), and the flags that travel to the gateway (docs/adr/0050, docs/adr/0123).
(function (global) {
  "use strict";

  var CHOICES = "sealgate-choices";
  var CORRELATION_HEADER = "X-Sealgate-Correlation";

  function item() {
    return Office.context.mailbox.item;
  }

  function call(target, method) {
    var args = Array.prototype.slice.call(arguments, 2);
    return new Promise(function (resolve, reject) {
      args.push(function (result) {
        if (result.status === Office.AsyncResultStatus.Failed) {
          reject(new Error(method + ": " + (result.error && result.error.message)));
        } else {
          resolve(result.value);
        }
      });
      target[method].apply(target, args);
    });
  }

  function recipients() {
    var message = item();
    return Promise.all([call(message.to, "getAsync"), call(message.cc, "getAsync"), call(message.bcc, "getAsync")])
      .then(function (lists) {
        return lists.reduce(function (all, list) {
          return all.concat((list || []).map(function (r) { return r.emailAddress; }));
        }, []);
      });
  }

  function savedChoices() {
    var session = item().sessionData;
    if (!session) {
      return Promise.resolve(null);
    }
    return call(session, "getAsync", CHOICES).then(function (value) {
      return value ? JSON.parse(value) : null;
    }).catch(function () {
      return null;
    });
  }

  function saveChoices(choices) {
    var session = item().sessionData;
    return session ? call(session, "setAsync", CHOICES, JSON.stringify(choices)) : Promise.resolve();
  }

  function correlationId() {
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // Asks the service to sign the flags and to keep them under a fresh random correlation id, then sets
  // both headers. If Outlook refuses the long flags header, the short correlation header alone still
  // lets the gateway find the flags.
  function applyFlags(choices) {
    var id = correlationId();
    var body = { encrypt: choices.encrypt, sign: choices.sign, largeFiles: choices.largeFiles, correlationId: id };
    return SealgateAuth.api("POST", "/addin/flags", JSON.stringify(body), "application/json").then(function (answer) {
      var both = {};
      both[answer.header] = answer.token;
      both[CORRELATION_HEADER] = id;
      var headers = item().internetHeaders;
      return call(headers, "setAsync", both).catch(function () {
        var only = {};
        only[CORRELATION_HEADER] = id;
        return call(headers, "setAsync", only);
      });
    });
  }

  global.SealgateCompose = {
    item: item,
    call: call,
    recipients: recipients,
    savedChoices: savedChoices,
    saveChoices: saveChoices,
    applyFlags: applyFlags
  };
})(typeof self !== "undefined" ? self : this);

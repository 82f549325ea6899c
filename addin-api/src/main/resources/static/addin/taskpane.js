// Sealgate task pane: shows the user's options, checks recipients, puts the signed flags token into
// the message as internet header X-Sealgate-Flags, and replaces large attachments by download links.
(function () {
  "use strict";

  var API = "/api/v1";
  var settings = null;

  function $(id) {
    return document.getElementById(id);
  }

  function status(text, isError) {
    var element = $("status");
    element.textContent = text;
    element.className = isError ? "error" : "";
  }

  // Office's callback APIs as promises.
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

  function token() {
    return Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
  }

  function api(method, path, body, contentType, extraHeaders) {
    return token().then(function (accessToken) {
      var headers = { Authorization: "Bearer " + accessToken };
      if (contentType) {
        headers["Content-Type"] = contentType;
      }
      Object.keys(extraHeaders || {}).forEach(function (name) {
        headers[name] = extraHeaders[name];
      });
      return fetch(API + path, { method: method, headers: headers, body: body });
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) {
          throw new Error(json.detail || json.title || ("HTTP " + response.status));
        }
        return json;
      });
    });
  }

  function item() {
    return Office.context.mailbox.item;
  }

  function updateFlags() {
    var flags = {
      encrypt: $("encrypt").checked,
      sign: $("sign").checked,
      largeFiles: $("large-files").checked
    };
    return api("POST", "/addin/flags", JSON.stringify(flags), "application/json").then(function (answer) {
      var headers = {};
      headers[answer.header] = answer.token;
      return call(item().internetHeaders, "setAsync", headers);
    }).then(function () {
      status("ready");
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

  function checkRecipients() {
    return recipients().then(function (addresses) {
      if (addresses.length === 0) {
        $("recipients").textContent = "";
        return null;
      }
      return api("POST", "/addin/recipients/check", JSON.stringify({ recipients: addresses }), "application/json");
    }).then(function (answer) {
      var list = $("recipients");
      list.textContent = "";
      ((answer && answer.recipients) || []).forEach(function (r) {
        var entry = document.createElement("li");
        entry.className = r.ifEncrypted;
        entry.setAttribute("data-address", r.address);
        entry.textContent = r.address + ": " + (r.internal ? "internal" : "external")
          + (r.certificate ? ", certificate" : ", no certificate") + ", if encrypted: " + r.ifEncrypted;
        list.appendChild(entry);
      });
    });
  }

  function decodeBase64(content) {
    var binary = atob(content);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function linkHtml(name, url) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = name;
    var paragraph = document.createElement("p");
    paragraph.appendChild(anchor);
    return paragraph.outerHTML;
  }

  function replaceLargeAttachments() {
    var message = item();
    return call(message, "getAttachmentsAsync").then(function (attachments) {
      var large = (attachments || []).filter(function (a) {
        return !a.isInline && a.attachmentType === "file" && a.size >= settings.largeFileThresholdBytes;
      });
      return large.reduce(function (previous, attachment) {
        return previous.then(function () {
          return call(message, "getAttachmentContentAsync", attachment.id).then(function (content) {
            return api("POST", "/files?name=" + encodeURIComponent(attachment.name),
              new Blob([decodeBase64(content.content)]), "application/octet-stream");
          }).then(function (created) {
            var entry = document.createElement("li");
            entry.textContent = created.name + " → " + created.url;
            $("uploads").appendChild(entry);
            return call(message, "removeAttachmentAsync", attachment.id).then(function () {
              return call(message.body, "prependAsync", linkHtml(created.name, created.url), { coercionType: Office.CoercionType.Html });
            });
          });
        });
      }, Promise.resolve());
    });
  }

  function insertReplyLink() {
    return api("POST", "/files/reply-links", JSON.stringify({}), "application/json").then(function (created) {
      return call(item().body, "prependAsync", linkHtml("Reply with files / Dateien zurücksenden", created.url),
        { coercionType: Office.CoercionType.Html });
    });
  }

  function fail(error) {
    status(error.message, true);
  }

  function show(rowId, button) {
    $(rowId).hidden = !button.visible;
  }

  Office.onReady(function () {
    api("GET", "/addin/settings").then(function (answer) {
      settings = answer;
      show("encrypt-row", answer.encrypt);
      show("sign-row", answer.sign);
      show("large-files-row", answer.largeFiles);
      $("encrypt").checked = answer.encrypt.pressed;
      $("encrypt").disabled = answer.encrypt.pressed && !answer.mayDisableEncryption;
      $("sign").checked = answer.sign.pressed;
      $("large-files").checked = answer.largeFiles.pressed;
      $("flags").hidden = false;
      $("check-recipients").hidden = false;
      $("reply-link").hidden = !answer.largeFiles.visible;
      ["encrypt", "sign"].forEach(function (id) {
        $(id).addEventListener("change", function () { updateFlags().catch(fail); });
      });
      $("large-files").addEventListener("change", function () {
        updateFlags().then(function () {
          return $("large-files").checked ? replaceLargeAttachments() : null;
        }).catch(fail);
      });
      $("check-recipients").addEventListener("click", function () { checkRecipients().catch(fail); });
      $("reply-link").addEventListener("click", function () { insertReplyLink().catch(fail); });
      return Promise.all([updateFlags(), checkRecipients()]);
    }).catch(fail);
  });
})();

// Sealgate task pane: the user's choices while composing (encrypt, sign, large files as links with
// password, expiry and download limit), the recipient check, reply links, and the user's own links.
// The same choices are read by the on-send handler (onsend-handler.js), which has the last word on Send.
(function () {
  "use strict";

  var t = SealgateI18n.t;
  var api = SealgateAuth.api;
  var compose = SealgateCompose;
  var settings = null;
  // base64 is decoded in slices of this many characters (a multiple of 4), so no attachment is copied whole
  var SLICE = 1 << 20;

  function $(id) {
    return document.getElementById(id);
  }

  function status(text, isError) {
    var element = $("status");
    element.textContent = text;
    element.className = isError ? "error" : "";
  }

  function translate() {
    document.documentElement.lang = SealgateI18n.language();
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (element) {
      element.textContent = t(element.getAttribute("data-text"));
    });
  }

  function choices() {
    return { encrypt: $("encrypt").checked, sign: $("sign").checked, largeFiles: $("large-files").checked };
  }

  function updateFlags() {
    var chosen = choices();
    return compose.saveChoices(chosen).then(function () {
      return compose.applyFlags(chosen);
    }).then(function () {
      status(t("ready"));
    });
  }

  function checkRecipients() {
    return compose.recipients().then(function (addresses) {
      if (addresses.length === 0) {
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
        entry.textContent = r.address + ": " + t(r.internal ? "internal" : "external")
          + ", " + t(r.certificate ? "certificate" : "noCertificate") + ", " + t("ifEncrypted") + ": " + r.ifEncrypted;
        list.appendChild(entry);
      });
    });
  }

  function blobOf(base64) {
    var parts = [];
    for (var start = 0; start < base64.length; start += SLICE) {
      var binary = atob(base64.substring(start, start + SLICE));
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      parts.push(bytes);
    }
    return new Blob(parts, { type: "application/octet-stream" });
  }

  function linkHtml(name, url) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = name;
    var paragraph = document.createElement("p");
    paragraph.appendChild(anchor);
    return paragraph.outerHTML;
  }

  function uploadQuery(name) {
    var query = "?name=" + encodeURIComponent(name);
    var expiry = $("link-expiry").value;
    var downloads = $("link-max-downloads").value;
    if (expiry) {
      query += "&expiresInDays=" + encodeURIComponent(expiry);
    }
    if (downloads) {
      query += "&maxDownloads=" + encodeURIComponent(downloads);
    }
    return query;
  }

  function replaceLargeAttachments() {
    var message = compose.item();
    var password = $("link-password").value;
    return compose.call(message, "getAttachmentsAsync").then(function (attachments) {
      var large = (attachments || []).filter(function (a) {
        return !a.isInline && a.attachmentType === "file" && a.size >= settings.largeFileThresholdBytes;
      });
      return large.reduce(function (previous, attachment) {
        return previous.then(function () {
          return compose.call(message, "getAttachmentContentAsync", attachment.id).then(function (content) {
            return api("POST", "/files" + uploadQuery(attachment.name), blobOf(content.content), "application/octet-stream",
              password ? { "X-Link-Password": password } : null);
          }).then(function (created) {
            var entry = document.createElement("li");
            entry.textContent = created.name + " → " + created.url;
            $("uploads").appendChild(entry);
            return compose.call(message, "removeAttachmentAsync", attachment.id).then(function () {
              return compose.call(message.body, "prependAsync", linkHtml(created.name, created.url),
                { coercionType: Office.CoercionType.Html });
            });
          });
        });
      }, Promise.resolve());
    });
  }

  function insertReplyLink() {
    return api("POST", "/files/reply-links", JSON.stringify({}), "application/json").then(function (created) {
      return compose.call(compose.item().body, "prependAsync", linkHtml(t("reply"), created.url),
        { coercionType: Office.CoercionType.Html });
    });
  }

  function showLinks() {
    return api("GET", "/files/links").then(function (links) {
      var list = $("links");
      list.textContent = "";
      links.forEach(function (link) {
        var entry = document.createElement("li");
        entry.setAttribute("data-link", link.id);
        entry.textContent = link.name + " (" + link.downloadCount + (link.maxDownloads ? "/" + link.maxDownloads : "")
          + " " + t("downloads") + ", " + link.expiresAt.substring(0, 10) + ") ";
        if (link.revokedAt) {
          entry.appendChild(document.createTextNode(t("revoked")));
        } else {
          var revoke = document.createElement("button");
          revoke.type = "button";
          revoke.className = "revoke";
          revoke.textContent = t("revoke");
          revoke.addEventListener("click", function () {
            api("DELETE", "/files/links/" + encodeURIComponent(link.id)).then(showLinks).catch(fail);
          });
          entry.appendChild(revoke);
        }
        list.appendChild(entry);
      });
    });
  }

  // a token the service refused (401) and a sign-in that failed (MSAL's errors carry an errorCode) are said as such
  function fail(error) {
    if (error.status === 401) {
      status(t("signInRefused", error.message), true);
    } else if (error.errorCode) {
      status(t("signInFailed", error.message), true);
    } else {
      status(error.message, true);
    }
  }

  function show(rowId, button) {
    $(rowId).hidden = !button.visible;
  }

  Office.onReady(function () {
    translate();
    api("GET", "/addin/settings").then(function (answer) {
      settings = answer;
      return compose.savedChoices();
    }).then(function (saved) {
      var answer = settings;
      show("encrypt-row", answer.encrypt);
      show("sign-row", answer.sign);
      show("large-files-row", answer.largeFiles);
      $("encrypt").checked = saved ? saved.encrypt : answer.encrypt.pressed;
      $("encrypt").disabled = answer.encrypt.pressed && !answer.mayDisableEncryption;
      if ($("encrypt").disabled) {
        $("encrypt").checked = true;
      }
      $("sign").checked = saved ? saved.sign : answer.sign.pressed;
      $("large-files").checked = saved ? saved.largeFiles : answer.largeFiles.pressed;
      $("link-expiry").min = answer.minExpiryDays;
      $("link-expiry").max = answer.maxExpiryDays;
      $("link-expiry").value = answer.defaultExpiryDays;
      $("flags").hidden = false;
      $("link-options").hidden = !answer.largeFiles.visible;
      $("check-recipients").hidden = false;
      $("reply-link").hidden = !answer.largeFiles.visible;
      $("show-links").hidden = !answer.largeFiles.visible;
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
      $("show-links").addEventListener("click", function () { showLinks().catch(fail); });
      return Promise.all([updateFlags(), checkRecipients()]);
    }).catch(fail);
  });
})();

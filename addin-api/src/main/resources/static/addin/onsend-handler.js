// Sealgate's check on Send (Smart Alerts, event OnMessageSend; docs/adr/0123): runs the recipient check,
// applies the user's choices and the policy, fetches the flags token and sets the headers. Blocks with a
// clear message where something is wrong; "Send anyway" is offered only where the policy allows it.
(function (global) {
  "use strict";

  var t = SealgateI18n.t;
  var MAX_MESSAGE = 500;

  function size(bytes) {
    return bytes >= 1048576 ? Math.round(bytes / 1048576) + " MB" : Math.round(bytes / 1024) + " KB";
  }

  function block(event, message, sendAnyway) {
    var options = {
      allowEvent: false,
      errorMessage: message.length > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message,
      cancelLabel: t("openSealgate"),
      commandId: "sealgateOpenPane"
    };
    if (sendAnyway && Office.MailboxEnums && Office.MailboxEnums.SendModeOverride) {
      options.sendModeOverride = Office.MailboxEnums.SendModeOverride.PromptUser;
    }
    event.completed(options);
  }

  function largeAttachments(settings, choices) {
    if (choices.largeFiles || !settings.largeFiles.visible) {
      return Promise.resolve(false);
    }
    return SealgateCompose.call(SealgateCompose.item(), "getAttachmentsAsync").then(function (attachments) {
      return (attachments || []).some(function (a) {
        return !a.isInline && a.attachmentType === "file" && a.size >= settings.largeFileThresholdBytes;
      });
    });
  }

  // MSAL's InteractionRequiredAuthError (interaction_required, login_required, consent_required), and
  // Office SSO's 13001 (not signed in to Office) and 13002 (sign-in or consent not completed)
  function interactionRequired(error) {
    return error.name === "InteractionRequiredAuthError" || error.code === 13001 || error.code === 13002;
  }

  function check(addresses) {
    if (addresses.length === 0) {
      return Promise.resolve({ recipients: [] });
    }
    return SealgateAuth.api("POST", "/addin/recipients/check", JSON.stringify({ recipients: addresses }), "application/json");
  }

  function onMessageSendHandler(event) {
    SealgateAuth.nonInteractive();
    var settings;
    var choices;
    SealgateAuth.api("GET", "/addin/settings").then(function (answer) {
      settings = answer;
      return SealgateCompose.savedChoices();
    }).then(function (saved) {
      choices = saved || { encrypt: settings.encrypt.pressed, sign: settings.sign.pressed, largeFiles: settings.largeFiles.pressed };
      if (settings.encrypt.pressed && !settings.mayDisableEncryption) {
        choices.encrypt = true;
      }
      return SealgateCompose.recipients();
    }).then(check).then(function (answer) {
      var rejected = answer.recipients.filter(function (r) {
        return choices.encrypt && r.ifEncrypted === "REJECTED";
      }).map(function (r) { return r.address; });
      if (rejected.length > 0) {
        block(event, t("blockRejected", rejected.join(", ")), settings.mayDisableEncryption);
        return null;
      }
      var external = answer.recipients.filter(function (r) { return !r.internal; });
      var offerEncrypt = !choices.encrypt && !choices.offered && settings.encrypt.visible && settings.encrypt.pressed
        && external.length > 0 && external.every(function (r) { return r.ifEncrypted === "ENCRYPTED"; });
      if (offerEncrypt) {
        choices.offered = true;
        return SealgateCompose.saveChoices(choices).then(function () {
          block(event, t("offerEncrypt"), true);
        });
      }
      return largeAttachments(settings, choices).then(function (large) {
        if (large) {
          block(event, t("blockLarge", size(settings.largeFileThresholdBytes)), true);
          return null;
        }
        return SealgateCompose.applyFlags(choices).then(function () {
          event.completed({ allowEvent: true });
        });
      });
    }).catch(function (error) {
      if (error.status === 401) {
        block(event, t("signInRefusedOnSend", error.message), true);
      } else if (interactionRequired(error)) {
        // an event handler may not open a sign-in window: the task pane ("Open Sealgate") can
        block(event, t("signInNeeded"), true);
      } else {
        block(event, t("serviceDown", error.message), true);
      }
    });
  }

  global.onMessageSendHandler = onMessageSendHandler;
  if (global.Office && Office.actions && Office.actions.associate) {
    Office.actions.associate("onMessageSendHandler", onMessageSendHandler);
  }
})(typeof self !== "undefined" ? self : this);

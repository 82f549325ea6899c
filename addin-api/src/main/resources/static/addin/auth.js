// Sign-in for the Sealgate add-in (docs/adr/0121) and calls to the service's API with the token.
// Order: MSAL.js nested app authentication where Outlook supports it (requirement set NestedAppAuth 1.1),
// else MSAL.js in an Office dialog, else legacy Office SSO (Office.auth.getAccessToken).
(function (global) {
  "use strict";

  var API = "/api/v1";
  var configPromise = null;
  var msalPromise = null;
  var interactive = true;

  function origin() {
    return global.location && global.location.origin && global.location.origin !== "null" ? global.location.origin : "";
  }

  function config() {
    if (!configPromise) {
      configPromise = fetch(origin() + "/addin/config.json").then(function (response) {
        if (!response.ok) {
          throw new Error("add-in settings: HTTP " + response.status);
        }
        return response.json();
      });
    }
    return configPromise;
  }

  function supportsNestedAppAuth() {
    try {
      return Office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
    } catch (e) {
      return false;
    }
  }

  // protocolMode belongs under "system" in MSAL.js 5; under "auth" it is ignored and MSAL treats any
  // authority as Entra's (it appends v2.0 to the authority and reads that issuer's metadata).
  function msalConfig(settings, redirectUri) {
    return {
      auth: {
        clientId: settings.clientId,
        authority: settings.authority,
        knownAuthorities: settings.knownAuthorities,
        redirectUri: redirectUri
      },
      cache: { cacheLocation: "localStorage" },
      system: { protocolMode: settings.protocolMode }
    };
  }

  function nestedApp(settings) {
    if (!msalPromise) {
      msalPromise = msal.createNestablePublicClientApplication(msalConfig(settings, settings.redirectUri));
    }
    return msalPromise;
  }

  function request(settings) {
    return { scopes: [settings.scope] };
  }

  // MSAL first silently, then (task pane only) with a prompt; NAA brokers both through Outlook.
  function viaMsal(settings) {
    return nestedApp(settings).then(function (app) {
      var accounts = app.getAllAccounts();
      var silent = accounts.length > 0
        ? app.acquireTokenSilent({ scopes: [settings.scope], account: accounts[0] })
        : app.ssoSilent(request(settings));
      return silent.catch(function (error) {
        if (!interactive) {
          throw error;
        }
        return app.acquireTokenPopup(request(settings));
      });
    }).then(function (result) {
      return result.accessToken;
    });
  }

  // Seconds since the epoch at which a JWT expires, or 0 when it cannot be read.
  function expiry(jwt) {
    try {
      var payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(payload + "===".substring(0, (4 - payload.length % 4) % 4))).exp || 0;
    } catch (e) {
      return 0;
    }
  }

  // Hosts without NAA: MSAL runs in an Office dialog (auth-dialog.html) and sends the token back. The
  // token is kept in memory until a minute before it expires: a dialog for every API call would flash
  // a window at the user each time.
  // Calls made while the dialog is open wait for it rather than opening another one.
  var dialogToken = null;

  function viaDialog(settings) {
    if (!dialogToken) {
      var opened = openDialog(settings).then(function (accessToken) {
        var now = Date.now() / 1000;
        var expires = expiry(accessToken);
        return { value: accessToken, until: expires > 0 ? expires - 60 : now + 300 };
      });
      dialogToken = opened;
      opened.catch(function () {
        if (dialogToken === opened) {
          dialogToken = null;
        }
      });
    }
    var pending = dialogToken;
    return pending.then(function (token) {
      if (token.until > Date.now() / 1000) {
        return token.value;
      }
      if (dialogToken === pending) {
        dialogToken = null;
      }
      return viaDialog(settings);
    });
  }

  function openDialog(settings) {
    return new Promise(function (resolve, reject) {
      Office.context.ui.displayDialogAsync(settings.dialogUrl, { height: 60, width: 30 }, function (opened) {
        if (opened.status === Office.AsyncResultStatus.Failed) {
          reject(new Error("sign-in dialog: " + (opened.error && opened.error.message)));
          return;
        }
        var dialog = opened.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, function (arg) {
          dialog.close();
          var message = JSON.parse(arg.message);
          if (message.accessToken) {
            resolve(message.accessToken);
          } else {
            reject(new Error(message.error || "sign-in dialog closed"));
          }
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, function () {
          reject(new Error("sign-in dialog closed"));
        });
      });
    });
  }

  function viaOfficeSso() {
    return Office.auth.getAccessToken({ allowSignInPrompt: interactive, allowConsentPrompt: interactive });
  }

  function token() {
    return config().then(function (settings) {
      if (!settings.signIn) {
        return viaOfficeSso();
      }
      if (supportsNestedAppAuth() && global.msal) {
        return viaMsal(settings);
      }
      var dialogs = interactive && Office.context.ui && Office.context.ui.displayDialogAsync;
      return dialogs ? viaDialog(settings) : viaOfficeSso();
    });
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
      return fetch(origin() + API + path, { method: method, headers: headers, body: body });
    }).then(function (response) {
      if (response.status === 204) {
        return null;
      }
      if (!response.ok) {
        // a problem detail (RFC 9457) says why; the status travels with the error, so the task pane and the
        // on-send handler can tell a refused sign-in (401) from other failures
        return response.json().catch(function () {
          return {};
        }).then(function (problem) {
          var error = new Error(problem.detail || problem.title || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        });
      }
      return response.json();
    });
  }

  global.SealgateAuth = {
    config: config,
    token: token,
    api: api,
    msalConfig: msalConfig,
    /** Event handlers may not open windows: sign in silently only. */
    nonInteractive: function () {
      interactive = false;
    }
  };
})(typeof self !== "undefined" ? self : this);

// Sign-in in an Office dialog for hosts without nested app authentication: MSAL.js signs in by redirect
// here and sends the access token to the task pane with messageParent.
(function () {
  "use strict";

  function reply(message) {
    Office.context.ui.messageParent(JSON.stringify(message));
  }

  Office.onReady(function () {
    SealgateAuth.config().then(function (settings) {
      return msal.createStandardPublicClientApplication(SealgateAuth.msalConfig(settings, settings.redirectUri)).then(function (app) {
        return app.handleRedirectPromise().then(function (result) {
          if (result && result.accessToken) {
            reply({ accessToken: result.accessToken });
            return null;
          }
          return app.acquireTokenRedirect({ scopes: [settings.scope] });
        });
      });
    }).catch(function (error) {
      reply({ error: String(error && error.message) });
    });
  });
})();

// The redirect URI of the add-in's MSAL sign-in: hands the identity provider's answer back to the page
// (task pane, or the sign-in dialog) that started it.
msalRedirectBridge.broadcastResponseToMainFrame().catch(function (error) {
  document.body.textContent = String(error && error.message);
});

// Reply upload page: sends each chosen file as the raw body of one request, so the service can stream it.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  var results = document.getElementById("results");
  var token = window.location.pathname.split("/").pop();

  function report(name, text, ok) {
    var item = document.createElement("li");
    item.className = ok ? "sent" : "failed";
    item.textContent = name + ": " + text;
    results.appendChild(item);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(document.getElementById("files").files);
    var sent = form.getAttribute("data-sent");
    var failed = form.getAttribute("data-failed");
    files.reduce(function (previous, file) {
      return previous.then(function () {
        return fetch("/portal/r/" + encodeURIComponent(token) + "/files?name=" + encodeURIComponent(file.name), {
          method: "POST",
          headers: { "Content-Type": "application/octet-stream" },
          body: file
        }).then(function (response) {
          return response.json().then(function (body) {
            if (response.ok) {
              report(body.name, sent, true);
            } else {
              report(file.name, failed + " (" + (body.error || response.status) + ")", false);
            }
          });
        }).catch(function () {
          report(file.name, failed, false);
        });
      });
    }, Promise.resolve());
  });
})();

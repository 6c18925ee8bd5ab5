// The copy-link button of entry pages (partials/share.html). Progressive:
// the button stays hidden unless this browser can write to the clipboard
// (the Clipboard API exists only on https and localhost pages).
(function () {
  "use strict";
  var button = document.querySelector("button.copy-link");
  if (!button || !navigator.clipboard || !navigator.clipboard.writeText) return;
  var status = button.parentNode.querySelector(".copy-status");
  var timer = 0;
  function say(text) {
    if (!status) return;
    status.textContent = text;
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 4000);
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.getAttribute("data-url")).then(
      function () { say(button.getAttribute("data-done")); },
      function () { say(button.getAttribute("data-failed")); }
    );
  });
})();

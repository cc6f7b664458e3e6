/* Casework: the little JavaScript the pages use. htmx does the rest. No inline scripts (CSP). */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  function bindPrintButtons(root) {
    (root || document).querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    bindPrintButtons(document);
  });

  // Keyboard users keep their place when htmx replaces the row holding the focused button.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.matches && target.matches("tr.action-row")) {
      var button = target.querySelector("button");
      if (button) {
        button.focus();
      }
    }
  });
})();

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

  // Keyboard users keep their place when htmx replaces the row holding the focused button
  // (issue 9, D5). An outerHTML swap puts a new row in the old one's place, so find it by id.
  document.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    var row = old && old.id ? document.getElementById(old.id) : null;
    if (row && row.matches("tr.action-row")) {
      var button = row.querySelector("button");
      if (button) {
        button.focus();
      }
    }
  });
})();

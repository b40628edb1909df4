// A filter panel (<details data-fold-below="992">) is rendered open, so that without JavaScript
// every filter shows. On a screen narrower than data-fold-below it starts folded, with how many
// filters are in use on its summary, so the results come first; widened, it opens again.
(function () {
  "use strict";

  document.querySelectorAll("details[data-fold-below]").forEach(function (panel) {
    var narrow = window.matchMedia("(max-width: " + (Number(panel.dataset.foldBelow) - 0.02) + "px)");
    panel.open = !narrow.matches;
    narrow.addEventListener("change", function (event) {
      panel.open = !event.matches;
    });
  });
})();

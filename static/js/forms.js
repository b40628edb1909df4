// Once a form is sent, its submit buttons are disabled: a second click sends nothing more.
// (The server also answers a second POST of the same form with the first result; see
// forum.middleware.SubmitOnceMiddleware.)
(function () {
  "use strict";

  var BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]';

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // Disabled only after the browser has read the form, so that the pressed button's own
    // name and value are still sent.
    window.setTimeout(function () {
      form.querySelectorAll(BUTTONS).forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.disabledOnSubmit = "true";
        }
      });
    }, 0);
  });

  // A page shown again from the browser's back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll('form[data-submitting="true"]').forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll('[data-disabled-on-submit="true"]').forEach(function (button) {
        button.disabled = false;
        delete button.dataset.disabledOnSubmit;
      });
    });
  });
})();

// Small behaviours for every page. Everything here is an enhancement: pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A select marked data-autosubmit (the language switcher) submits its form when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // Forms marked data-confirm ask before they go (closing a report, for instance).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // After a failed submit, take the reader straight to the list of what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  });

  // Filters left empty stay out of the address, so a shared or bookmarked link stays short.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") { return; }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") { delete params[name]; }
    });
  });

  // Tell assistive technology when the results are being refreshed.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = document.getElementById("results");
    if (target) { target.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.getElementById("results");
    if (target) { target.setAttribute("aria-busy", "false"); }
  });
})();

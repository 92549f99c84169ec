// The report and share forms: show only the fields that apply. Without this script every field
// shows and the server explains what does not fit.
(function () {
  "use strict";

  function modusToggle() {
    var category = document.querySelector("select[data-drug-category]");
    var field = document.querySelector(".modus-field");
    if (!category || !field) { return; }
    var select = field.querySelector("select");
    function update() {
      var drugs = category.value === category.getAttribute("data-drug-category");
      field.hidden = !drugs;
      // A hidden select is disabled so that it sends nothing.
      select.disabled = !drugs;
    }
    category.addEventListener("change", update);
    update();
  }

  function checked(name) {
    var input = document.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : "";
  }

  function setChecked(name, value) {
    var input = document.querySelector("input[name='" + name + "'][value='" + value + "']");
    if (input) { input.checked = true; }
  }

  // TLP:RED goes with named people and nothing else; public goes with TLP:CLEAR only.
  function markingCoupling() {
    var tlpInputs = document.querySelectorAll("input[name='tlp']");
    var audienceInputs = document.querySelectorAll("input[name='audience']");
    if (!tlpInputs.length || !audienceInputs.length) { return; }

    function showRecipients() {
      var audience = checked("audience");
      document.querySelectorAll("[data-for-audience]").forEach(function (block) {
        block.hidden = block.getAttribute("data-for-audience") !== audience;
      });
    }

    function allowAudiences() {
      var tlp = checked("tlp");
      audienceInputs.forEach(function (input) {
        var allowed = tlp === "red" ? input.value === "people"
          : input.value !== "people" && (input.value !== "public" || tlp === "clear");
        input.disabled = !allowed;
        input.closest("div, li").classList.toggle("is-disabled", !allowed);
      });
    }

    tlpInputs.forEach(function (input) {
      input.addEventListener("change", function () {
        var audience = checked("audience");
        if (input.value === "red") { setChecked("audience", "people"); }
        else if (audience === "people") { setChecked("audience", "owner"); }
        else if (audience === "public" && input.value !== "clear") { setChecked("audience", "network"); }
        allowAudiences();
        showRecipients();
      });
    });
    audienceInputs.forEach(function (input) {
      input.addEventListener("change", showRecipients);
    });
    allowAudiences();
    showRecipients();
  }

  document.addEventListener("DOMContentLoaded", function () {
    modusToggle();
    markingCoupling();
  });
})();

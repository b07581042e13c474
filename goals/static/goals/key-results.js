// "Add key result" on the goal and goal-template forms: adds an empty row from the page's
// <template> (formset.empty_form) instead of posting the form. Without this file the button
// posts the form, which comes back with one more row and everything typed kept.
(function () {
  "use strict";

  function addRow(button) {
    var form = button.form;
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(button.getAttribute("data-row-template"));
    var list = document.getElementById(button.getAttribute("data-rows"));
    var total = form && form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var most = form && form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    if (!template || !list || !total) return false;
    var index = parseInt(total.value, 10) || 0;
    var limit = most ? parseInt(most.value, 10) : Infinity;
    if (index >= limit) return false;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = list.lastElementChild;
    var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    if (index + 1 >= limit) {
      var line = button.closest(".kr-add") || button;
      line.hidden = true;
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-add-row]");
    if (button && addRow(button)) event.preventDefault();
  });
})();

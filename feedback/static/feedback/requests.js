// Asking for feedback: the search's "Add" buttons put a colleague's e-mail address into the
// "Whom to ask" field. Without this file the addresses are shown to copy, and the form works.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("[data-add-email][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-email]");
    if (!button) return;
    var field = document.getElementById("id_people");
    if (!field) return;
    var email = button.getAttribute("data-add-email");
    var present = field.value.split(/[\s,;]+/).map(function (part) {
      return part.toLowerCase();
    });
    if (present.indexOf(email.toLowerCase()) === -1) {
      var value = field.value.replace(/[\s,;]+$/, "");
      field.value = value ? value + "\n" + email : email;
    }
    button.disabled = true;
    field.focus();
  });

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSettle", function () { reveal(document); });
})();

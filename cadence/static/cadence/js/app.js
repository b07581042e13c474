// Cadence's small shared script. Pages work without it; it adds conveniences only.
(function () {
  "use strict";

  // Keep keyboard focus sensible after htmx swaps: move it to the swapped region's heading
  // only when the request came from a link or button (not while typing in a search box).
  document.addEventListener("htmx:afterSwap", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && (trigger.tagName === "A" || trigger.tagName === "BUTTON")) {
      var target = event.detail.target;
      var heading = target.querySelector("h1, h2, h3");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });

  // Forms that ask for confirmation carry data-confirm="…".
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Copy buttons: <button data-copy="#selector">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim());
      button.textContent = button.getAttribute("data-copied") || "Copied";
    }
  });
})();

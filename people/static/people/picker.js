// The people picker (people/picker.py): type a name, choose from the suggestions with the mouse
// or the keyboard (arrow keys, Enter; Escape closes), and the chosen people become chips
// (× or Backspace removes one). Suggestions come from people:picker as HTML options.
// Without this file the field works too: chosen people are checkboxes, and a Search button
// posts the whole form back with the matches to tick.
(function () {
  "use strict";
  if (window.cadencePicker) return;
  window.cadencePicker = true;

  var DELAY = 200;
  var MIN = 2;

  function say(root, key, name) {
    var text = (root.getAttribute("data-text-" + key) || "").replace("{name}", name || "");
    var status = root.querySelector(".picker-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function Picker(root) {
    this.root = root;
    this.input = root.querySelector(".picker-input");
    this.listbox = root.querySelector(".picker-listbox");
    this.chips = root.querySelector(".picker-chips");
    this.name = root.getAttribute("data-name");
    this.multiple = root.getAttribute("data-multiple") === "1";
    this.max = parseInt(root.getAttribute("data-max") || "0", 10);
    this.url = root.getAttribute("data-search-url");
    this.active = -1;
    this.timer = null;
    this.seq = 0;
    this.lastQuery = null;
    root.classList.add("picker-js");
    var search = root.querySelector(".picker-search");
    if (search) search.remove();  // Enter in the form's other fields sends it, as usual
    root.querySelectorAll(".picker-remove").forEach(function (button) { button.hidden = false; });
    root.querySelectorAll(".picker-keep").forEach(function (box) { box.tabIndex = -1; });
    this.bind();
  }

  Picker.prototype.options = function () {
    return Array.prototype.slice.call(
      this.listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])')
    );
  };

  Picker.prototype.chosenIds = function () {
    return Array.prototype.map.call(this.chips.querySelectorAll(".picker-chip"), function (chip) {
      return chip.getAttribute("data-id");
    });
  };

  Picker.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.highlight = function (index) {
    var options = this.options();
    if (!options.length) { this.active = -1; return; }
    index = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("is-active", i === index);
    });
    this.active = index;
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.fetch = function () {
    var query = this.input.value.trim();
    if (query.replace(/\s+/g, "").length < MIN) {
      this.lastQuery = null;
      this.listbox.innerHTML = "";
      this.close();
      return;
    }
    var params = new URLSearchParams({ q: query });
    if (this.multiple) {
      this.chosenIds().forEach(function (id) { params.append("exclude", id); });
    }
    if (this.root.getAttribute("data-self") === "1") params.append("self", "1");
    if (this.root.getAttribute("data-scope") === "pilot") params.append("scope", "pilot");
    var seq = ++this.seq;
    var self = this;
    window.fetch(this.url + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) throw new Error("people:picker " + response.status);
      return response.text();
    }).then(function (html) {
      if (seq !== self.seq) return;  // a newer keystroke is on its way
      self.lastQuery = query;
      self.listbox.innerHTML = html;
      self.options().forEach(function (option, i) {
        option.id = self.listbox.id + "-" + i;
      });
      self.open();
      if (self.options().length) self.highlight(0);
      else self.input.removeAttribute("aria-activedescendant");
    }).catch(function () { self.close(); });
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DELAY);
  };

  Picker.prototype.choose = function (option) {
    var id = option.getAttribute("data-id");
    var name = option.getAttribute("data-name");
    var chips = this.chips.querySelectorAll(".picker-chip");
    if (this.multiple && this.max && chips.length >= this.max) {
      say(this.root, "full");
      return;
    }
    if (!this.multiple) {
      chips.forEach(function (chip) { chip.remove(); });
    }
    if (this.chosenIds().indexOf(id) === -1) {
      this.chips.appendChild(this.chip(id, name, option.querySelector(".avatar")));
    }
    this.input.value = "";
    this.listbox.innerHTML = "";
    this.lastQuery = null;
    this.close();
    this.input.focus();
    say(this.root, "added", name);
    this.changed();
  };

  Picker.prototype.chip = function (id, name, avatar) {
    var chip = document.createElement("li");
    chip.className = "picker-chip";
    chip.setAttribute("data-id", id);
    var label = document.createElement("label");
    label.className = "picker-chip-label";
    var box = document.createElement("input");
    box.type = this.multiple ? "checkbox" : "radio";
    box.className = "picker-keep";
    box.name = this.name;
    box.value = id;
    box.checked = true;
    box.tabIndex = -1;
    label.appendChild(box);
    if (avatar) label.appendChild(avatar.cloneNode(true));
    var text = document.createElement("span");
    text.className = "picker-chip-name";
    text.textContent = name;
    label.appendChild(text);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "picker-remove";
    remove.setAttribute("aria-label", (this.root.getAttribute("data-text-remove") || "×").replace("{name}", name));
    var cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    remove.appendChild(cross);
    chip.appendChild(label);
    chip.appendChild(remove);
    return chip;
  };

  Picker.prototype.remove = function (chip) {
    var name = chip.querySelector(".picker-chip-name");
    chip.remove();
    this.input.focus();
    say(this.root, "removed", name ? name.textContent : "");
    this.changed();
  };

  Picker.prototype.changed = function () {
    this.root.dispatchEvent(new CustomEvent("picker:change", { bubbles: true }));
  };

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("focus", function () {
      if (self.lastQuery !== null && self.lastQuery === self.input.value.trim()) self.open();
    });
    this.input.addEventListener("keydown", function (event) {
      var isOpen = !self.listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!isOpen) { self.fetch(); return; }
          self.highlight(self.active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (isOpen) self.highlight(self.active - 1);
          break;
        case "Enter":
          if (isOpen && self.active >= 0) {
            event.preventDefault();
            self.choose(self.options()[self.active]);
          } else if (self.input.value.trim()) {
            // A name still being typed is not sent by accident: look it up instead.
            event.preventDefault();
            self.fetch();
          }
          break;
        case "Escape":
          if (isOpen) { event.preventDefault(); self.close(); }
          break;
        case "Backspace":
          if (!self.input.value && self.input.selectionStart === 0) {
            var chips = self.chips.querySelectorAll(".picker-chip");
            if (chips.length) {
              event.preventDefault();
              self.remove(chips[chips.length - 1]);
            }
          }
          break;
        case "Tab":
          self.close();
          break;
      }
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option && option.getAttribute("aria-disabled") !== "true") self.choose(option);
    });
    this.chips.addEventListener("click", function (event) {
      var button = event.target.closest(".picker-remove");
      if (button) self.remove(button.closest(".picker-chip"));
    });
    this.chips.addEventListener("keydown", function (event) {
      var button = event.target.closest(".picker-remove");
      if (button && (event.key === "Backspace" || event.key === "Delete")) {
        event.preventDefault();
        self.remove(button.closest(".picker-chip"));
      }
    });
    this.root.addEventListener("focusout", function (event) {
      if (!self.root.contains(event.relatedTarget)) self.close();
    });
  };

  function start(scope) {
    scope.querySelectorAll("[data-picker]:not(.picker-js)").forEach(function (root) {
      new Picker(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { start(event.target); });
})();

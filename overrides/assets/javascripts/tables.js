// Wide tables that scroll sideways, reachable from the keyboard.
//
// The theme wraps every table in a box that scrolls when the table is wider than
// the screen (the attendance grid always is on a phone). Someone without a mouse
// can only scroll such a box if it can take focus, so a box that scrolls is made
// focusable and named after its table's caption, and one that no longer scrolls
// (after the window grows) leaves the tab order again.
(function () {
  "use strict";

  function update() {
    Array.prototype.forEach.call(document.querySelectorAll("article table"), function (table) {
      var box = table.closest(".md-typeset__scrollwrap");
      if (!box) { return; }
      if (box.scrollWidth > box.clientWidth) {
        var caption = table.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + ", " : "") + "table, scrolls sideways");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // The theme wraps the tables once its own script has run; "load" comes after that.
  window.addEventListener("load", update);
  window.addEventListener("resize", update);
})();

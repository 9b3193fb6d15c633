/* The article header's menu and contents buttons (sphinx-book-theme) open the sidebars again.
   pydata-sphinx-theme 0.17 gives its listener to the first ".primary-toggle"/".secondary-toggle"
   of the page only: its own navbar button, hidden under sphinx-book-theme, so the visible buttons
   did nothing (pydata/pydata-sphinx-theme#2451). Each visible button passes its click on to the
   button that has the listener. */
(function () {
  "use strict";

  function forward(kind) {
    const buttons = Array.from(document.querySelectorAll("button." + kind));
    const owner = buttons[0];
    buttons.slice(1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        owner.click();
      });
    });
  }

  function start() {
    forward("primary-toggle");
    forward("secondary-toggle");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* Search results quote the prose of a page, not its code cells, parameters or page navigation:
   Sphinx builds each snippet from the text of the page's main block, which here also holds the
   in-page contents and every code cell. */
(function () {
  "use strict";
  const NOT_PROSE = ".bd-header-article, .bd-sidebar-secondary, .cell_input, .tag_injected-parameters, " +
    ".prev-next-area, .cocapp-downloads, nav";

  function prose() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.htmlToText.cocapp) return;
    const original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      const page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll(NOT_PROSE).forEach(function (el) { el.remove(); });
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.htmlToText.cocapp = true;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", prose);
  else prose();
})();

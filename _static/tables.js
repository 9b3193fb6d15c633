/* Long result tables (marked "cocapp-long" by helpers.report.tables): a filter box and sortable
   columns, in plain JavaScript so that the book works offline and from file://. */
(function () {
  "use strict";

  function cellValue(row, index) {
    const cell = row.cells[index];
    const text = cell ? cell.textContent.trim() : "";
    const number = parseFloat(text.replace(/[<>≤≥]/g, "").replace("−", "-"));
    return { text: text.toLowerCase(), number: /^[<>≤≥−\-]?\s*\d/.test(text) && !isNaN(number) ? number : null };
  }

  function sortBy(table, index, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = cellValue(a, index);
      const y = cellValue(b, index);
      let order;
      if (x.number !== null && y.number !== null) order = x.number - y.number;
      else order = x.text.localeCompare(y.text, undefined, { numeric: true });
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  /* The heading of every column, in order: a one-row head, or the two-row head of paired columns
     (a heading spanning two rows, or the second-row headings under a spanning one). */
  function leafHeaders(table) {
    if (!table.tHead) return [];
    const rows = table.tHead.rows;
    if (rows.length === 1) return Array.from(rows[0].cells);
    const lower = Array.from(rows[1].cells);
    const leaves = [];
    Array.from(rows[0].cells).forEach(function (th) {
      if (th.rowSpan > 1) leaves.push(th);
      else for (let k = 0; k < th.colSpan; k++) leaves.push(lower.shift());
    });
    return leaves;
  }

  function enhance(box, number) {
    const table = box.querySelector("table");
    if (!table || !table.tBodies.length) return;
    const input = document.createElement("input");
    input.type = "search";
    input.className = "cocapp-filter";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter the rows of this table");
    input.id = "cocapp-filter-" + number;
    input.addEventListener("input", function () {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.from(table.tBodies[0].rows).forEach(function (row) {
        const text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    box.insertBefore(input, table);
    leafHeaders(table).forEach(function (th, index) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cocapp-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  /* A box that scrolls sideways (a wide table, a figure on a phone) can be reached and scrolled
     with the keyboard, and says what it holds. */
  function focusable() {
    document.querySelectorAll(".bd-article .cell_output .output, .bd-article figure").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }

  function start() {
    document.querySelectorAll(".cocapp-long").forEach(enhance);
    focusable();
    window.addEventListener("resize", focusable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

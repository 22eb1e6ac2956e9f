// Filter and sort the table of units. Reads only data-* attributes and
// textContent, writes only classes and order: no crawled string is ever parsed as HTML.
(function () {
  "use strict";
  var table = document.getElementById("units-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var kind = document.getElementById("filter-kind");
  var check = document.getElementById("filter-check");
  var shown = document.getElementById("filter-count");

  function matches(row) {
    var needle = text.value.trim().toLowerCase();
    if (needle && row.textContent.toLowerCase().indexOf(needle) === -1) { return false; }
    if (kind.value && row.dataset.kind !== kind.value) { return false; }
    if (check.value && (" " + row.dataset.checks + " ").indexOf(" " + check.value + " ") === -1) { return false; }
    return true;
  }

  function applyFilter() {
    var visible = 0;
    rows.forEach(function (row) {
      var keep = matches(row);
      row.hidden = !keep;
      if (keep) { visible += 1; }
    });
    shown.textContent = "显示 " + visible + " / " + rows.length + " 个单位";
  }

  function sortBy(header) {
    var index = header.cellIndex;
    var numeric = header.dataset.sort === "number";
    // numbers (score, problems) first sort largest first; names first sort A to Z
    var ascending = header.dataset.order ? header.dataset.order !== "asc" : !numeric;
    header.dataset.order = ascending ? "asc" : "desc";
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value || a.cells[index].textContent;
      var y = b.cells[index].dataset.value || b.cells[index].textContent;
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  [text, kind, check].forEach(function (control) { control.addEventListener("input", applyFilter); });
  // a check's name in the per-check table shows the units with that problem
  Array.prototype.forEach.call(document.querySelectorAll("a[data-check]"), function (anchor) {
    anchor.addEventListener("click", function () {
      text.value = "";
      kind.value = "";
      check.value = anchor.dataset.check;
      applyFilter();
    });
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
    if (header.dataset.sort) { header.addEventListener("click", function () { sortBy(header); }); }
  });
  applyFilter();
})();

// Evidence: a judged photo or flowchart opens large in a dialog, with its verdict in words; a finding's
// 截图 opens the screenshot of its page. The large pictures are kept once each in
// <template id="evidence"> (inert until shown); a picture without one there opens its thumbnail enlarged.
(function () {
  "use strict";
  var dialog = document.getElementById("zoom");
  if (!dialog || !dialog.showModal) { return; }
  var big = document.getElementById("zoom-img");
  var caption = document.getElementById("zoom-caption");
  var store = document.getElementById("evidence");
  function stored(key) {
    var copy = key && store ? store.content.querySelector('img[data-key="' + key + '"]') : null;
    return copy ? copy.getAttribute("src") : null;
  }
  function show(src, alt, text, natural) {
    big.src = src;
    big.alt = alt;
    big.className = natural ? "natural" : "enlarged";
    caption.textContent = text;
    dialog.showModal();
  }
  function open(img) {
    var figure = img.closest("figure");
    var large = stored(img.dataset.evidence);
    show(large || img.src, img.alt, figure ? figure.querySelector("figcaption").innerText : img.alt, !!large);
  }
  Array.prototype.forEach.call(document.querySelectorAll("figure.shot img"), function (img) {
    img.addEventListener("click", function () { open(img); });
    img.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(img); } });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.evidence-open"), function (button) {
    button.addEventListener("click", function () {
      var src = stored(button.dataset.evidence);
      if (src) { show(src, button.dataset.caption, button.dataset.caption, true); }
    });
  });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) { dialog.close(); } });
})();

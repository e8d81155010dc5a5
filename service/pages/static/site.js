// Every page: the search box in the header answers as you type (names of departments,
// projects, indicators and documents from /search?format=json), with arrow keys and Enter.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  var list = document.getElementById("site-suggestions");
  if (!input || !list) return;
  var url = input.getAttribute("data-suggest");
  var kinds = { department: "部门", project: "项目", indicator: "指标", document: "文档" };
  var timer = null, seq = 0, active = -1;

  function clear() { list.innerHTML = ""; list.hidden = true; active = -1; }
  function show(results) {
    list.innerHTML = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.href;
      var kind = document.createElement("span");
      kind.className = "kind kind-" + r.kind;
      kind.textContent = kinds[r.kind] || r.kind;
      a.appendChild(kind);
      a.appendChild(document.createTextNode(" " + r.label));
      if (r.context) {
        var ctx = document.createElement("span");
        ctx.className = "muted";
        ctx.textContent = " " + r.context;
        a.appendChild(ctx);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    active = -1;
  }
  function ask() {
    var q = input.value.trim();
    if (!q) { clear(); return; }
    var mine = ++seq;
    fetch(url + "?format=json&limit=12&q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (mine === seq) show(data.results || []); })
      .catch(function () { /* the form still submits */ });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    var items = list.querySelectorAll("li a");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items.forEach(function (a, i) { a.classList.toggle("active", i === active); });
    } else if (event.key === "Enter" && active >= 0 && items[active]) {
      event.preventDefault();
      window.location.href = items[active].href;
    } else if (event.key === "Escape") {
      clear();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) clear();
  });
})();

// Severity checkboxes (diagnostics, audit): show or hide the rows of that severity.
(function () {
  "use strict";
  document.querySelectorAll("input[type=checkbox][data-severity]").forEach(function (box) {
    box.addEventListener("change", function () {
      var section = box.closest("section") || document;
      section.querySelectorAll("tr[data-severity='" + box.getAttribute("data-severity") + "']")
        .forEach(function (row) { row.hidden = !box.checked; });
    });
  });
})();

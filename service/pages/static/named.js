// The query page's named queries: pick one (grouped by theme, audit rules apart), fill in its
// parameters (defaults and descriptions from the query's header), run it through
// /api/queries/{name}, and read the answer as a table (IRIs as names linking to their pages,
// numbers with separators, money in 万元) or as a chart. Errors show the server's message.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("perfkg-config").textContent);
  var byName = {};
  config.queries.forEach(function (q) { byName[q.name] = q; });
  var picker = document.getElementById("named-query");
  var description = document.getElementById("named-query-description");
  var form = document.getElementById("query-form");
  var fields = document.getElementById("query-parameters");
  var results = document.getElementById("named-results");
  var table = document.getElementById("named-table");
  var chartBox = document.getElementById("named-chart");
  var status = document.getElementById("named-status");
  var errorBox = document.getElementById("named-error");
  var current = null, answer = null, chart = null;
  var MONEY = /(funds|amount|budget|spent|yuan|total|sum|资金|金额|预算)/i;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function params() {
    var out = new URLSearchParams();
    fields.querySelectorAll("input").forEach(function (input) {
      if (input.value !== "") out.set(input.name, input.value);
    });
    return out;
  }
  function choose(name) {
    current = byName[name];
    if (!current) { form.hidden = true; return; }
    description.textContent = current.description;
    fields.innerHTML = "";
    current.parameters.forEach(function (p) {
      var label = el("label", null, "parameter");
      label.appendChild(el("span", p.name, "name"));
      var input = el("input");
      input.name = p.name;
      input.value = p.default;
      input.type = p.kind === "number" ? "number" : "text";
      if (p.kind === "number") input.step = "any";
      input.setAttribute("aria-label", p.name);
      label.appendChild(input);
      label.appendChild(el("span", p.description + (p.default ? " (默认 default: " + p.default + ")" : ""), "muted"));
      fields.appendChild(label);
    });
    form.hidden = false;
    links();
    window.location.hash = name;
  }
  function links() {
    var query = params();
    document.getElementById("query-csv").href = config.api + "/" + current.name + "?" + query + "&format=csv";
    document.getElementById("query-json").href = config.api + "/" + current.name + "?" + query;
  }
  function isIri(v) { return typeof v === "string" && /^https?:\/\//.test(v); }
  function formatNumber(value, column) {
    var n = Number(value);
    if (MONEY.test(column) && Math.abs(n) >= 10000) {
      return (n / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 4 }) + "万元";
    }
    return n.toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  }
  function draw(data, names) {
    table.innerHTML = "";
    var t = el("table", null, "data-list");
    var head = el("tr");
    data.columns.forEach(function (c) { head.appendChild(el("th", c)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    data.rows.forEach(function (row) {
      var tr = el("tr");
      data.columns.forEach(function (c) {
        var v = row[c], td = el("td");
        if (v === null || v === undefined) {
          td.textContent = "";
        } else if (isIri(v)) {
          var a = el("a");
          a.textContent = names.labels[v] || decodeURIComponent(v.replace(/^.*\/id\//, ""));
          a.href = names.hrefs[v] || v;
          a.title = v;
          td.appendChild(a);
        } else if (typeof v === "number") {
          td.textContent = formatNumber(v, c);
          td.className = "number";
        } else {
          td.textContent = String(v);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    table.appendChild(t);
  }
  function drawChart(data, names) {
    if (chart) { chart.destroy(); chart = null; }
    if (typeof Chart === "undefined" || !data.rows.length) return false;
    var numeric = data.columns.filter(function (c) {
      return data.rows.every(function (r) { return r[c] === null || typeof r[c] === "number"; });
    });
    var labelColumn = data.columns.filter(function (c) { return numeric.indexOf(c) < 0; })[0];
    if (!numeric.length) return false;
    var rows = data.rows.slice(0, 60);
    var labels = rows.map(function (r) {
      var v = labelColumn ? r[labelColumn] : "";
      return isIri(v) ? (names.labels[v] || decodeURIComponent(v.replace(/^.*[\/#]/, ""))) : String(v);
    });
    chart = new Chart(document.getElementById("named-canvas"), {
      type: "bar",
      data: { labels: labels, datasets: numeric.slice(0, 3).map(function (c, i) {
        return { label: c, data: rows.map(function (r) { return r[c]; }),
                 backgroundColor: ["#9b1c1c", "#1b4f8a", "#2d6a2d"][i] };
      }) },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 indexAxis: rows.length > 12 ? "y" : "x" },
    });
    return true;
  }
  function show(view) {
    document.querySelectorAll(".view-tabs button").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute("data-view") === view);
    });
    table.hidden = view !== "table";
    chartBox.hidden = view !== "chart";
    if (view === "chart" && answer) drawChart(answer.data, answer.names);
  }
  function run(event) {
    if (event) event.preventDefault();
    if (!current) return;
    links();
    results.hidden = false;
    errorBox.hidden = true;
    status.textContent = "运行中 running…";
    var started = Date.now();
    fetch(config.api + "/" + current.name + "?" + params(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (reply) {
        if (!reply.ok) {
          var e = reply.body.error || {};
          var at = e.position ? [e.position.line || e.position[0], e.position.column || e.position[1]] : null;
          errorBox.textContent = (at ? "第 " + at[0] + " 行第 " + at[1] + " 列: " : "") +
            (e.message || "error");
          errorBox.hidden = false;
          status.textContent = "";
          table.innerHTML = "";
          return;
        }
        var data = reply.body;
        var iris = [];
        data.rows.forEach(function (row) {
          data.columns.forEach(function (c) { if (isIri(row[c])) iris.push(row[c]); });
        });
        var unique = iris.filter(function (v, i) { return iris.indexOf(v) === i; }).slice(0, 500);
        var ask = unique.length
          ? fetch(config.labels + "?" + unique.map(function (i) { return "iri=" + encodeURIComponent(i); }).join("&"))
              .then(function (r) { return r.json(); })
          : Promise.resolve({ labels: {}, hrefs: {} });
        return ask.then(function (names) {
          answer = { data: data, names: names };
          draw(data, names);
          status.textContent = data.rows.length + " 行 rows" + (data.truncated ? "（已截断 cut at the row limit）" : "") +
            " · " + (Date.now() - started) + " ms";
          show(chartBox.hidden ? "table" : "chart");
        });
      })
      .catch(function (e) { errorBox.textContent = String(e); errorBox.hidden = false; });
  }
  picker.addEventListener("change", function () { choose(picker.value); });
  form.addEventListener("submit", run);
  form.addEventListener("input", links);
  document.querySelectorAll(".view-tabs button").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-view")); });
  });
  document.getElementById("query-edit").addEventListener("click", function () {
    fetch(config.bind + "/" + current.name + "?" + params())
      .then(function (r) { return r.text(); })
      .then(function (sparql) {
        if (window.perfkgOpenInEditor) window.perfkgOpenInEditor(current.title_en || current.title, sparql);
        document.getElementById("yasgui").scrollIntoView();
      });
  });
  var wanted = window.location.hash.replace(/^#/, "");
  if (byName[wanted]) { picker.value = wanted; choose(wanted); }
  window.perfkgNamed = { choose: choose, run: run };
})();

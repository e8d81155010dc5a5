// Charts: every <canvas data-chart='{"type", "labels", "series": [{"label", "values"}], …}'>
// is drawn with Chart.js (served from /static/vendor/chartjs/, no CDN). A "table" link beside
// each chart keeps the numbers readable without it. window.perfkgCharts lists the charts drawn.
(function () {
  "use strict";
  var drawn = [];
  window.perfkgCharts = drawn;
  if (typeof Chart === "undefined") return;
  var palette = ["#9b1c1c", "#1b4f8a", "#2d6a2d", "#b7791f", "#6b46c1", "#2c7a7b", "#c05621",
                 "#4a5568", "#d53f8c", "#718096"];
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.animation = false;

  function draw(canvas) {
    var spec;
    try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
    var horizontal = spec.type === "hbar";
    var type = horizontal ? "bar" : spec.type || "bar";
    var many = (spec.series || []).length > 1;
    var datasets = (spec.series || []).map(function (s, i) {
      var colour = s.colour || palette[i % palette.length];
      return {
        label: s.label || "",
        data: s.values,
        backgroundColor: type === "doughnut" || type === "pie"
          ? spec.labels.map(function (_, j) { return palette[j % palette.length]; })
          : colour,
        borderColor: colour,
        stack: spec.stacked ? "all" : undefined,
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { display: many || type === "doughnut" || type === "pie", position: "bottom" },
        title: { display: !!spec.title, text: spec.title },
      },
      onClick: function (event, elements) {
        if (!spec.links || !elements.length) return;
        var href = spec.links[elements[0].index];
        if (href) window.location.href = href;
      },
    };
    if (type === "bar") {
      options.scales = {
        x: { stacked: !!spec.stacked, ticks: { autoSkip: !horizontal } },
        y: { stacked: !!spec.stacked, ticks: { autoSkip: horizontal ? false : true } },
      };
    }
    drawn.push(new Chart(canvas, { type: type, data: { labels: spec.labels, datasets: datasets }, options: options }));
  }
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  window.perfkgDrawChart = draw;
})();

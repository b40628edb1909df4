// Draws the dashboard's charts from the JSON beside each canvas; the tables next to them carry the same numbers.
(function () {
  "use strict";
  var palette = ["#0b5394", "#38761d", "#e69138", "#674ea7", "#cc0000", "#45818e", "#999999", "#bf9000"];
  // The same colour for a stage as its badge on the project pages (static/css/site.css).
  var stageColours = {
    matched: "#45607d", poc_planning: "#6a4c93", poc: "#a14d00", evaluation: "#7a5c00",
    implementation: "#2e6b1f", rollout: "#0b5394", discontinued: "#6b6b6b"
  };

  function colours(spec, dataset, i) {
    if (spec.type === "doughnut") {
      return [stageColours.implementation, "#d9d9d9"];
    }
    if (dataset.key) {
      return stageColours[dataset.key];
    }
    if (spec.bar_keys) {
      return spec.bar_keys.map(function (key) { return stageColours[key]; });
    }
    return palette[i % palette.length];
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = colours(spec, dataset, i);
      if (spec.type === "line") {
        // A series over time: a line per measure; a gap where a period has no value.
        return { label: dataset.label, data: dataset.data, borderColor: colour, backgroundColor: colour, borderWidth: 2, spanGaps: false };
      }
      return { label: dataset.label, data: dataset.data, backgroundColor: colour, borderWidth: 0 };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: doughnut || spec.datasets.length > 1, position: "bottom" } }
    };
    if (!doughnut) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        x: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
      };
    }
    new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

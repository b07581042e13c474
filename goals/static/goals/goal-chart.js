// A goal's progress chart: the series come from the page (#goal-chart-data, made by
// goals/chart.py, with each series' style); this file only draws them. Without it the page's
// history still says it all.
(function () {
  "use strict";

  var COLOURS = ["#2f6f62", "#3d6a8f", "#8a4f7d", "#9a5240", "#8a6a2a", "#6a5a9a"];

  function toPoint(point) {
    return { x: Date.parse(point.x), y: point.y };
  }

  function day(value) {
    // "9 Dec" as the page writes it (cadence/formats), not the American "Dec 9".
    var lang = document.documentElement.lang || undefined;
    if (lang === "en") lang = "en-GB";
    return new Date(value).toLocaleDateString(lang, { day: "numeric", month: "short" });
  }

  function draw() {
    var canvas = document.getElementById("goal-chart");
    var source = document.getElementById("goal-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var datasets = data.series.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      var style = series.style || {};
      // Series at the same figures overlap: a distinct shape and size each (larger and hollow
      // underneath, smaller and filled on top) keeps every one of them visible.
      var fill = style.hollow ? "#ffffff" : colour;
      return {
        label: series.label,
        data: series.points.map(toPoint),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: style.dash || [],
        borderWidth: style.width || 2,
        pointStyle: style.point || "circle",
        pointRadius: style.radius || 3,
        pointHoverRadius: (style.radius || 3) + 2,
        pointBorderWidth: 2,
        pointBackgroundColor: fill,
        order: style.order || 0,
        clip: false, // points at 0 % and 100 % are drawn whole, not cut by the chart's edge
        tension: 0
      };
    });
    datasets.push({
      label: data.labels.ideal,
      data: data.ideal.map(toPoint),
      borderColor: "#9aa5a8",
      backgroundColor: "#9aa5a8",
      borderDash: [6, 4],
      pointRadius: 0,
      order: datasets.length + 1
    });
    // The x axis spans the goal's period and any update outside it, without rounding up.
    var times = [];
    datasets.forEach(function (set) {
      set.data.forEach(function (point) { times.push(point.x); });
    });
    new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: {
            type: "linear",
            min: Math.min.apply(null, times),
            max: Math.max.apply(null, times),
            ticks: { callback: day, maxTicksLimit: 8 }
          },
          y: { min: 0, max: 100, title: { display: true, text: data.labels.axis } }
        },
        layout: { padding: { top: 12, right: 12 } },
        plugins: {
          // In the key results' order (the drawing order is the other way round).
          legend: {
            labels: {
              usePointStyle: true,
              sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
            }
          },
          tooltip: {
            // Every series under the pointer: two key results at one figure both show.
            mode: "point",
            callbacks: {
              title: function (items) {
                return items.length ? day(items[0].parsed.x) : "";
              }
            }
          }
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

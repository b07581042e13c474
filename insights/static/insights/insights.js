// Insights' charts: each canvas.insights-canvas names (data-source) the JSON its chart's
// figures are written in by the page (insights.charts: "line", "bar" or "survival"); this file
// only draws them. Without it the page's tables still say it all.
(function () {
  "use strict";

  var COLOURS = ["#2f6f62", "#8a4f7d", "#3d6a8f", "#9a5240", "#8a6a2a", "#6a5a9a"];
  var DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3]];

  function colour(index) { return COLOURS[index % COLOURS.length]; }

  function translucent(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.15)";
  }

  function yAxis(y) {
    var axis = { beginAtZero: true };
    if (!y) return axis;
    if (y.min !== undefined) axis.min = y.min;
    if (y.max !== undefined) axis.max = y.max;
    if (y.title) axis.title = { display: true, text: y.title };
    if (y.integer) axis.ticks = { precision: 0 }; // counts: no tick between two whole numbers
    return axis;
  }

  function line(data) {
    return {
      type: "line",
      data: {
        labels: data.x,
        datasets: data.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            borderColor: colour(index),
            backgroundColor: colour(index),
            borderDash: DASHES[index % DASHES.length],
            pointStyle: ["circle", "rect", "triangle", "rectRot"][index % 4],
            spanGaps: false,
            tension: 0
          };
        })
      },
      options: { scales: { y: yAxis(data.y) } }
    };
  }

  function bar(data) {
    return {
      type: "bar",
      data: {
        labels: data.x,
        datasets: data.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: colour(index) };
        })
      },
      options: {
        scales: {
          x: { stacked: !!data.stacked },
          y: Object.assign(yAxis(data.y), { stacked: !!data.stacked })
        }
      }
    };
  }

  // Kaplan–Meier curves: per group a step line (a drop at each time with an event) and its
  // 95 % confidence band, drawn as the area between the lower and upper bounds.
  function survival(data) {
    var datasets = [];
    data.groups.forEach(function (group, index) {
      var c = colour(index);
      function points(values) {
        return group.times.map(function (t, i) { return { x: t, y: values[i] }; });
      }
      var base = datasets.length;
      datasets.push({
        label: group.band_label || "",
        data: points(group.lower),
        stepped: "after",
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        fill: false,
        band: true
      });
      datasets.push({
        label: group.band_label || "",
        data: points(group.upper),
        stepped: "after",
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        backgroundColor: translucent(c),
        fill: base, // the area down to this group's lower bound
        band: true
      });
      datasets.push({
        label: group.label,
        data: points(group.survival),
        stepped: "after",
        borderColor: c,
        backgroundColor: c,
        borderDash: DASHES[index % DASHES.length],
        borderWidth: 2,
        pointRadius: 0,
        fill: false
      });
    });
    return {
      type: "line",
      data: { datasets: datasets },
      options: {
        scales: {
          x: {
            type: "linear",
            min: data.groups.length ? data.groups[0].times[0] : 0,
            title: { display: !!(data.x && data.x.title), text: (data.x && data.x.title) || "" }
          },
          y: yAxis({ min: 0, max: 1, title: data.y && data.y.title })
        },
        plugins: {
          legend: {
            labels: { filter: function (item, chart) { return !chart.datasets[item.datasetIndex].band; } }
          },
          tooltip: { filter: function (item) { return !item.dataset.band; } }
        }
      }
    };
  }

  // One point per unit (a team), with its name in the tooltip.
  function scatter(data) {
    return {
      type: "scatter",
      data: {
        datasets: data.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.points,
            borderColor: colour(index),
            backgroundColor: colour(index),
            pointRadius: 5,
            clip: false // points at the axes' ends are drawn whole
          };
        })
      },
      options: {
        scales: {
          x: Object.assign(yAxis(data.x), { type: "linear", beginAtZero: false }),
          y: Object.assign(yAxis(data.y), { beginAtZero: false })
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                var point = item.raw;
                return (point.name ? point.name + ": " : "") + point.x + " %, " + point.y;
              }
            }
          }
        }
      }
    };
  }

  var DRAW = { line: line, bar: bar, survival: survival, scatter: scatter };

  function draw() {
    if (typeof window.Chart === "undefined") return;
    var canvases = document.querySelectorAll("canvas.insights-canvas");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-source"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var make = DRAW[data.type];
      if (!make) return;
      var config = make(data);
      config.options = Object.assign(
        { responsive: true, maintainAspectRatio: false, animation: false },
        config.options
      );
      new window.Chart(canvas, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

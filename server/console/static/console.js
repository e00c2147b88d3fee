/* The console's own script: draws the charts from the page's JSON block and wires "select all" boxes.
   No inline script anywhere (the Content-Security-Policy forbids it): pages carry data, this file acts on it. */
(function () {
  "use strict";

  var COLOURS = ["#2f6fb0", "#e08a2c", "#3a9b5b", "#c0392b", "#7f5aa2", "#6b8e9f", "#b5a33a"];
  var STATE_COLOURS = ["#2f6fb0", "#e0b22c", "#3a9b5b", "#c0392b"];
  var BASE = { animation: false, color: COLOURS, textStyle: { fontFamily: "sans-serif" } };

  function tooltip(trigger) {
    return { trigger: trigger, renderMode: "richText", confine: true };
  }

  function merge(extra) {
    var option = {};
    Object.keys(BASE).forEach(function (key) { option[key] = BASE[key]; });
    Object.keys(extra).forEach(function (key) { option[key] = extra[key]; });
    return option;
  }

  function pie(data, colours) {
    return merge({
      color: colours || COLOURS,
      tooltip: tooltip("item"),
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data.items,
                 label: { formatter: "{b}\n{c}" } }]
    });
  }

  var BUILDERS = {
    modules: function (data) {
      return merge({
        tooltip: tooltip("axis"),
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.labels.slice().reverse(), axisLabel: { width: 140, overflow: "truncate" } },
        series: [{ type: "bar", name: data.name, data: data.values.slice().reverse(), label: { show: true, position: "right" } }]
      });
    },
    items: function (data) { return pie(data, STATE_COLOURS); },
    severity: function (data) { return pie(data, ["#c0392b", "#e08a2c", "#6b8e9f", "#999999"]); },
    grades: function (data) { return pie(data, ["#c0392b", "#e08a2c", "#3a9b5b"]); },
    weekly: function (data) {
      return merge({
        tooltip: tooltip("axis"),
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "line", name: data.name, data: data.values, smooth: false, areaStyle: { opacity: 0.15 } }]
      });
    },
    coordinators: function (data) {
      return merge({
        color: STATE_COLOURS,
        tooltip: tooltip("axis"),
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 80, overflow: "truncate" } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (entry) {
          return { type: "bar", stack: "items", name: entry.name, data: entry.values };
        })
      });
    },
    districts: function (data) {
      return merge({
        tooltip: tooltip("axis"),
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (entry) {
          return { type: "bar", name: entry.name, data: entry.values };
        })
      });
    }
  };

  function draw() {
    var block = document.getElementById("chart-data");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      if (!data[kind] || !BUILDERS[kind]) { return; }
      var existing = window.echarts.getInstanceByDom(element);
      if (existing) { existing.dispose(); }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(BUILDERS[kind](data[kind]));
      element.setAttribute("data-drawn", "true");
    });
  }

  function wireSelectAll() {
    document.querySelectorAll("input[data-select-all]").forEach(function (box) {
      if (box.getAttribute("data-wired")) { return; }
      box.setAttribute("data-wired", "true");
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-select-all");
        document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (other) {
          other.checked = box.checked;
        });
      });
    });
  }

  function ready() {
    draw();
    wireSelectAll();
    document.body.addEventListener("htmx:afterSettle", function () { draw(); wireSelectAll(); });
    window.addEventListener("resize", function () {
      document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
        var chart = window.echarts && window.echarts.getInstanceByDom(element);
        if (chart) { chart.resize(); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());

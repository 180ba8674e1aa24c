// Dashboard charts with the locally served ECharts; the tables stay readable without it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") { return; }
  function bar(id, rows, key, value, horizontal) {
    var el = document.getElementById(id);
    if (!el || !rows.length) { if (el) { el.textContent = "暂无数据"; el.style.height = "auto"; } return; }
    var names = rows.map(function (r) { return Array.isArray(r) ? r[0] : r[key]; });
    var values = rows.map(function (r) { return Array.isArray(r) ? r[1] : r[value]; });
    var cat = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 40 } };
    var val = { type: "value", max: value === "rate" ? 100 : null };
    echarts.init(el).setOption({
      animation: false,
      grid: { left: horizontal ? 170 : 50, right: 20, bottom: horizontal ? 30 : 90, top: 20 },
      tooltip: {}, xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: values, itemStyle: { color: "#b71c1c" } }]
    });
  }
  bar("chart-city", data.city, "name", "rate", false);
  bar("chart-category", data.category, "name", "rate", true);
  bar("chart-checks", data.by_check.slice(0, 12), null, null, true);
  var trend = document.getElementById("chart-trend");
  if (data.trend.length) {
    echarts.init(trend).setOption({
      animation: false,
      grid: { left: 50, right: 20, bottom: 40, top: 20 }, tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.map(function (r) { return r.period; }) },
      yAxis: { type: "value", max: 100 },
      series: [{ type: "line", data: data.trend.map(function (r) { return r.rate; }), itemStyle: { color: "#b71c1c" } }]
    });
  } else { trend.textContent = "暂无数据"; trend.style.height = "auto"; }
  window.addEventListener("resize", function () {
    document.querySelectorAll(".chart").forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) { c.resize(); } });
  });
})();

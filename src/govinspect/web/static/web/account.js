// The account page's posts-per-week chart with the locally served ECharts; the weekly table stays readable without it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var el = document.getElementById("chart-weekly");
  if (!el) { return; }
  if (!data.weeks.length) { el.textContent = "尚无发布信息"; el.style.height = "auto"; return; }
  if (typeof echarts === "undefined") { el.style.display = "none"; return; }
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 20, bottom: 60, top: 20 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.weeks.map(function (w) { return w.week; }), axisLabel: { rotate: 40 } },
    yAxis: { type: "value", minInterval: 1, name: "条" },
    series: [{ type: "bar", data: data.weeks.map(function (w) { return w.posts; }), itemStyle: { color: "#b71c1c" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();

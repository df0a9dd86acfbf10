/**
 * The page's own script, run after ECharts: draws every chart from the JSON data element, keeps charts
 * sized to their containers, then sets `data-charts-rendered` on <body> so tests (and anyone scripting the
 * page) know drawing finished. Written as ES2017 browser code in a string; it never sees run data as code.
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  // JSON cannot carry functions: log axes get their tick labels here (1e-9, not 0.000000001)
  function logLabel(v) { return v >= 0.001 ? String(v) : v.toExponential(0); }
  var specs = JSON.parse(document.getElementById('report-data').textContent).charts;
  var charts = [];
  specs.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + CSS.escape(spec.id) + '"]');
    if (!el) throw new Error('report: no container for chart ' + spec.id);
    [].concat(spec.option.yAxis || []).forEach(function (axis) {
      if (axis.type === 'log') axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: logLabel });
    });
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(spec.option);
    charts.push(chart);
  });
  // each chart follows its own container (window resizes, print layout, a narrow grid column)
  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var chart = echarts.getInstanceByDom(entry.target);
      if (chart) chart.resize();
    });
  });
  charts.forEach(function (c) { observer.observe(c.getDom()); });
  document.body.dataset.chartsRendered = String(charts.length);
})();`;

// hainet network map, WebGL: draws the data block #hn-data with sigma.js (labels on a 2D canvas,
// so any number of distinct Chinese characters renders). The same data, legend, search and filters
// as the canvas map. Every data-derived string reaches the page through textContent or option
// values, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hn-data").textContent);
  var text = data.text;
  var container = document.getElementById("hn-network");
  var Graph = window.HainetWebGL.Graph;
  var Sigma = window.HainetWebGL.Sigma;
  var groups = (data.options && data.options.groups) || {};
  var byId = {};

  function colourOf(node) {
    if (node.color && typeof node.color === "object" && node.color.background) { return node.color.background; }
    if (typeof node.color === "string") { return node.color; }
    var group = groups[node.group];
    return (group && group.color && group.color.background) || "#8a8a8a";
  }

  // Every node carries its own colours; only a flagged one has a flag border to show.
  function borderOf(node) {
    var flagged = node.flags && node.flags.length > 0;
    return flagged && node.color && typeof node.color === "object" && node.color.border ? node.color.border : null;
  }

  // Dots shrink as the map grows, so that tens of thousands stay apart at fit.
  var shrink = Math.min(1, Math.sqrt(800 / Math.max(1, data.nodes.length)));
  var graph = new Graph({ multi: true, type: "directed" });
  data.nodes.forEach(function (node) {
    byId[node.id] = node;
    graph.addNode(node.id, {
      x: node.x,
      // sigma's y axis points up; the layout's, like a screen's, points down.
      y: -node.y,
      size: Math.max(1.5, ((node.size || 10) / 2.5) * shrink),
      label: node.label || node.fullLabel || node.id,
      color: colourOf(node),
      flagColour: borderOf(node),
      kind: node.kind
    });
  });
  data.edges.forEach(function (edge) {
    if (graph.hasNode(edge.from) && graph.hasNode(edge.to)) {
      graph.addEdgeWithKey(edge.id, edge.from, edge.to, {
        size: 0.6,
        color: edge.color && typeof edge.color === "object" && edge.color.color ? edge.color.color : "#c4c4c4"
      });
    }
  });

  var state = { hidden: {}, selected: null, neighbours: null, matches: {} };

  var renderer = new Sigma(graph, container, {
    renderEdgeLabels: false,
    labelFont: "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif",
    labelSize: 14,
    labelWeight: "normal",
    labelDensity: 0.35,
    labelGridCellSize: 120,
    labelRenderedSizeThreshold: 5,
    zIndex: true,
    defaultEdgeType: "line",
    hideEdgesOnMove: graph.size > 50000,
    nodeReducer: function (id, attrs) {
      var out = Object.assign({}, attrs);
      if (state.hidden[id]) { out.hidden = true; return out; }
      if (state.neighbours && !state.neighbours[id]) { out.color = "#e6e6e6"; out.label = ""; out.zIndex = 0; }
      if (state.matches[id] || id === state.selected) { out.highlighted = true; out.forceLabel = true; out.zIndex = 2; }
      if (attrs.flagColour) { out.forceLabel = out.forceLabel || !state.neighbours; out.zIndex = Math.max(out.zIndex || 0, 1); }
      return out;
    },
    edgeReducer: function (id, attrs) {
      var out = Object.assign({}, attrs);
      var ends = graph.extremities(id);
      if (state.hidden[ends[0]] || state.hidden[ends[1]]) { out.hidden = true; return out; }
      if (state.neighbours && !(state.neighbours[ends[0]] && state.neighbours[ends[1]])) { out.hidden = true; }
      return out;
    }
  });
  window.hainetRenderer = renderer;
  window.hainetGraph = graph;

  var body = document.body;
  body.setAttribute("data-renderer", "webgl");
  body.setAttribute("data-nodes-drawn", String(graph.order));
  renderer.once("afterRender", function () {
    window.hainetReady = true;
    window.hainetReadyAt = performance.now();
    document.documentElement.setAttribute("data-hainet-ready", "true");
    body.setAttribute("data-ready", "1");
  });
  // The constructor has drawn already, before anyone could listen: draw once more, now heard.
  renderer.refresh();

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-hn-kind]"));
  var industrySelect = document.getElementById("hn-industry");
  var flaggedOnly = document.getElementById("hn-flagged-only");
  var status = document.getElementById("hn-status");
  var panel = document.getElementById("hn-panel");
  var results = document.getElementById("hn-results");

  data.industries.forEach(function (industry) {
    var option = document.createElement("option");
    option.value = industry.key;
    option.textContent = industry.label;
    industrySelect.appendChild(option);
  });

  function setStatus(message) { status.textContent = message; }

  function applyFilters() {
    var shown = {};
    kindBoxes.forEach(function (box) { shown[box.getAttribute("data-hn-kind")] = box.checked; });
    var industry = industrySelect.value;
    var onlyFlagged = flaggedOnly !== null && flaggedOnly.checked;
    var visible = 0;
    state.hidden = {};
    data.nodes.forEach(function (node) {
      var show = shown[node.kind] !== false;
      if (show && industry) { show = node.industries.indexOf(industry) >= 0; }
      if (show && onlyFlagged) { show = node.flags.length > 0; }
      if (show) { visible += 1; } else { state.hidden[node.id] = true; }
    });
    body.setAttribute("data-nodes-drawn", String(visible));
    renderer.refresh();
    fit();
    setStatus(text.shown.replace("{shown}", String(visible)).replace("{total}", String(data.nodes.length)));
  }

  function fit() {
    var ids = data.nodes.filter(function (node) { return !state.hidden[node.id]; }).map(function (node) { return node.id; });
    if (ids.length === 0 || ids.length === data.nodes.length) { renderer.getCamera().animatedReset({ duration: 0 }); return; }
    var xs = ids.map(function (id) { return renderer.getNodeDisplayData(id).x; });
    var ys = ids.map(function (id) { return renderer.getNodeDisplayData(id).y; });
    var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
    var cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2;
    var span = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs), Math.max.apply(null, ys) - Math.min.apply(null, ys));
    renderer.getCamera().setState({ x: cx, y: cy, ratio: Math.max(span * 1.2, 0.02), angle: 0 });
  }

  function select(id) {
    state.selected = id;
    state.neighbours = null;
    panel.textContent = "";
    if (id === null) { renderer.refresh(); panel.hidden = true; return; }
    state.neighbours = {};
    state.neighbours[id] = true;
    graph.forEachNeighbor(id, function (other) { state.neighbours[other] = true; });
    var node = byId[id];
    var heading = document.createElement("h2");
    heading.textContent = node.label || node.fullLabel || id;
    var detail = document.createElement("pre");
    detail.textContent = node.title || "";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", function () { select(null); });
    panel.appendChild(close);
    panel.appendChild(heading);
    panel.appendChild(detail);
    panel.hidden = false;
    renderer.refresh();
  }

  function matches(node, query) {
    return [node.label, node.fullLabel, node.nameZh, node.nameEn, node.id].some(function (name) {
      return typeof name === "string" && name.toLowerCase().indexOf(query) >= 0;
    });
  }

  function search() {
    var query = document.getElementById("hn-search").value.trim().toLowerCase();
    state.matches = {};
    results.textContent = "";
    if (!query) { setStatus(""); renderer.refresh(); return; }
    var found = data.nodes.filter(function (node) { return !state.hidden[node.id] && matches(node, query); });
    found.slice(0, 50).forEach(function (node) {
      state.matches[node.id] = true;
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = node.label || node.fullLabel || node.id;
      button.addEventListener("click", function () { focusOn(node.id); select(node.id); });
      item.appendChild(button);
      results.appendChild(item);
    });
    setStatus(found.length ? text.found.replace("{n}", String(found.length)) : text.none);
    if (found.length === 1) { focusOn(found[0].id); select(found[0].id); } else { renderer.refresh(); }
  }

  function focusOn(id) {
    var at = renderer.getNodeDisplayData(id);
    if (at) { renderer.getCamera().setState({ x: at.x, y: at.y, ratio: 0.15, angle: 0 }); }
  }

  renderer.on("clickNode", function (event) { select(event.node); });
  renderer.on("clickStage", function () { select(null); });
  document.getElementById("hn-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  industrySelect.addEventListener("change", applyFilters);
  if (flaggedOnly !== null) { flaggedOnly.addEventListener("change", applyFilters); }
  document.getElementById("hn-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { select(null); }
  });
})();

// hainet network map, WebGL: draws the data block #hn-data with sigma.js (labels on a 2D canvas,
// so any number of distinct Chinese characters renders). The canvas map's tools on the same data:
// legend, search listing matches, filters (kind, industry, evidence, flagged only), the side panel
// (panel.js), neighbours only, re-fit, Esc. Every data-derived string reaches the page through
// textContent or option values, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hn-data").textContent);
  var text = data.text;
  var container = document.getElementById("hn-network");
  var Graph = window.HainetWebGL.Graph;
  var Sigma = window.HainetWebGL.Sigma;
  var add = window.hainetPanel.add;
  var byId = {};

  function colourOf(node) {
    if (node.color && typeof node.color === "object" && node.color.background) { return node.color.background; }
    if (typeof node.color === "string") { return node.color; }
    return "#8a8a8a";
  }

  // Every node carries its own colours; only a flagged one has a flag border to show.
  function borderOf(node) {
    return node.flags && node.flags.length > 0 && node.border ? node.border : null;
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
  // Each relationship is [from, to, evidence, weight?]: node positions in data.nodes, a level in data.edgeEvidence.
  data.edges.forEach(function (edge, i) {
    graph.addEdgeWithKey(String(i), data.nodes[edge[0]].id, data.nodes[edge[1]].id, {
      size: edge.length > 3 ? 0.6 * edge[3] : 0.6,
      color: "#c4c4c4",
      evidence: data.edgeEvidence[edge[2]]
    });
  });

  // Flagged nodes always carry a label while few; thousands of forced labels would ink the map black.
  var forceFlagLabels = data.nodes.filter(function (node) { return node.flags && node.flags.length; }).length <= 150;
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-hn-kind]"));
  var industrySelect = document.getElementById("hn-industry");
  var evidenceSelect = document.getElementById("hn-evidence");
  var flaggedOnly = document.getElementById("hn-flagged-only");
  var status = document.getElementById("hn-status");
  var panel = document.getElementById("hn-panel");
  var panelTitle = document.getElementById("hn-panel-title");
  var panelBody = document.getElementById("hn-panel-body");
  var matchesBox = document.getElementById("hn-matches");
  var neighboursButton = document.getElementById("hn-neighbours");
  var presentButton = document.getElementById("hn-present");
  // The presentation walks the canvas map's columns; on a map this large the panel and search do that work.
  if (presentButton) { presentButton.hidden = true; }
  var state = { hidden: {}, selected: null, near: null, neighboursOnly: false, matches: {} };

  // A drawn fact's level against the switch, by the levels Python admits for it (graph.evidence);
  // an empty level is a group drawn for many facts, shown at every level.
  function evidenceOk(level) {
    return level === "" || data.evidenceAdmits[evidenceSelect.value].indexOf(level) >= 0;
  }

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
      if (state.matches[id] || id === state.selected) { out.highlighted = true; out.forceLabel = true; out.zIndex = 2; }
      // Outside the clicked node's neighbourhood a node is grey and unlabelled, even a search match.
      if (state.near && !state.near[id]) {
        out.color = "#e6e6e6"; out.label = ""; out.zIndex = 0; out.highlighted = false; out.forceLabel = false;
      }
      if (attrs.flagColour) { out.forceLabel = out.forceLabel || (forceFlagLabels && !state.near); out.zIndex = Math.max(out.zIndex || 0, 1); }
      return out;
    },
    edgeReducer: function (id, attrs) {
      var out = Object.assign({}, attrs);
      var ends = graph.extremities(id);
      if (state.hidden[ends[0]] || state.hidden[ends[1]] || !evidenceOk(attrs.evidence)) { out.hidden = true; return out; }
      if (state.near && !(state.near[ends[0]] && state.near[ends[1]])) { out.hidden = true; }
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

  data.industries.forEach(function (industry) {
    var option = document.createElement("option");
    option.value = industry.key;
    option.textContent = industry.label;
    industrySelect.appendChild(option);
  });

  function setStatus(message) { status.textContent = message; }

  function filteredIds() {
    var shown = {};
    kindBoxes.forEach(function (box) { shown[box.getAttribute("data-hn-kind")] = box.checked; });
    var industry = industrySelect.value;
    var onlyFlagged = flaggedOnly !== null && flaggedOnly.checked;
    var ids = {};
    data.nodes.forEach(function (node) {
      var show = shown[node.kind] !== false;
      if (show && industry) { show = node.industries.indexOf(industry) >= 0; }
      if (show && onlyFlagged) { show = node.flags.length > 0; }
      if (show) { show = evidenceOk(node.evidence); }
      if (show) { ids[node.id] = true; }
    });
    return ids;
  }

  function render(visible, near) {
    var count = 0;
    state.hidden = {};
    data.nodes.forEach(function (node) {
      if (visible[node.id]) { count += 1; } else { state.hidden[node.id] = true; }
    });
    state.near = near;
    body.setAttribute("data-nodes-drawn", String(count));
    setStatus(text.shown.replace("{shown}", String(count)).replace("{total}", String(data.nodes.length)));
    renderer.refresh();
  }

  function fit() {
    var ids = data.nodes.filter(function (node) { return !state.hidden[node.id]; }).map(function (node) { return node.id; });
    if (ids.length === 0 || ids.length === data.nodes.length) { renderer.getCamera().animatedReset({ duration: 0 }); return; }
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var at = renderer.getNodeDisplayData(id);
      x0 = Math.min(x0, at.x); x1 = Math.max(x1, at.x); y0 = Math.min(y0, at.y); y1 = Math.max(y1, at.y);
    });
    renderer.getCamera().setState({ x: (x0 + x1) / 2, y: (y0 + y1) / 2,
                                    ratio: Math.max(Math.max(x1 - x0, y1 - y0) * 1.2, 0.02), angle: 0 });
  }

  function neighbourhood(id) {
    var near = {};
    near[id] = true;
    graph.forEachNeighbor(id, function (other) { near[other] = true; });
    return near;
  }

  function applyFilters() {
    state.neighboursOnly = false;
    neighboursButton.textContent = text.neighbours_only;
    render(filteredIds(), state.selected ? neighbourhood(state.selected) : null);
    fit();
  }

  function openPanel(id) {
    var node = byId[id];
    if (!node) { return; }
    state.selected = id;
    panelTitle.textContent = node.nameZh || node.label || node.fullLabel || id;
    window.hainetPanel.fill(panelBody, node, text);
    panel.hidden = false;
    neighboursButton.disabled = false;
    render(filteredIds(), neighbourhood(id));
  }

  function closePanel() {
    state.selected = null;
    panel.hidden = true;
    neighboursButton.disabled = true;
    state.neighboursOnly = false;
    neighboursButton.textContent = text.neighbours_only;
    render(filteredIds(), null);
  }

  function toggleNeighbours() {
    if (!state.selected) { return; }
    state.neighboursOnly = !state.neighboursOnly;
    neighboursButton.textContent = state.neighboursOnly ? text.show_all : text.neighbours_only;
    if (state.neighboursOnly) {
      var near = neighbourhood(state.selected);
      var visible = filteredIds();
      Object.keys(visible).forEach(function (id) { if (!near[id]) { delete visible[id]; } });
      render(visible, null);
    } else {
      render(filteredIds(), neighbourhood(state.selected));
    }
    fit();
  }

  function names(node) { return [node.label, node.fullLabel, node.nameZh, node.nameEn, node.id]; }

  function focusOn(id) {
    var at = renderer.getNodeDisplayData(id);
    if (at) { renderer.getCamera().setState({ x: at.x, y: at.y, ratio: 0.15, angle: 0 }); }
  }

  function listMatches(found) {
    matchesBox.textContent = "";
    if (found.length < 2) { matchesBox.hidden = true; return; }
    add(matchesBox, "strong", text.matches.replace("{n}", String(found.length)));
    var list = add(matchesBox, "ol");
    found.slice(0, 50).forEach(function (node) {
      var button = add(add(list, "li"), "button", node.nameZh || node.label || node.fullLabel || node.id);
      button.type = "button";
      button.setAttribute("data-hn-node", node.id);
      button.addEventListener("click", function () { focusOn(node.id); openPanel(node.id); });
    });
    matchesBox.hidden = false;
  }

  // Only the nodes whose highlight changed are drawn again: positions and sizes stay, so nothing is re-indexed.
  function repaint(ids) {
    try {
      renderer.refresh({ partialGraph: { nodes: ids }, skipIndexation: true });
    } catch (error) {
      renderer.refresh();
    }
  }

  function search() {
    var query = document.getElementById("hn-search").value.trim().toLowerCase();
    var changed = Object.keys(state.matches);
    state.matches = {};
    if (!query) { listMatches([]); setStatus(""); repaint(changed); return; }
    var visibleNodes = data.nodes.filter(function (node) { return !state.hidden[node.id]; });
    var found = visibleNodes.filter(function (node) {
      return names(node).some(function (name) { return typeof name === "string" && name.toLowerCase() === query; });
    });
    if (found.length === 0) {
      found = visibleNodes.filter(function (node) {
        return names(node).some(function (name) { return typeof name === "string" && name.toLowerCase().indexOf(query) >= 0; });
      });
    }
    found.slice(0, 200).forEach(function (node) { state.matches[node.id] = true; changed.push(node.id); });
    listMatches(found);
    if (found.length === 1) { focusOn(found[0].id); openPanel(found[0].id); } else { repaint(changed); }
    setStatus(found.length ? text.found.replace("{n}", String(found.length)) : text.none);
  }

  renderer.on("clickNode", function (event) { openPanel(event.node); });
  renderer.on("clickStage", function () { if (state.selected) { closePanel(); } });
  document.getElementById("hn-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  industrySelect.addEventListener("change", applyFilters);
  evidenceSelect.addEventListener("change", applyFilters);
  if (flaggedOnly !== null) { flaggedOnly.addEventListener("change", applyFilters); }
  neighboursButton.addEventListener("click", toggleNeighbours);
  document.getElementById("hn-panel-close").addEventListener("click", closePanel);
  document.getElementById("hn-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && state.selected) { closePanel(); }
  });
})();
